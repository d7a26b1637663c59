# SPDX-License-Identifier: GPL-3.0-or-later
# stanza_deps(VAR MODULE [VAR MODULE...]): find each MODULE with pkg-config and
# set each VAR to what to link it with.
#
# With STANZA_STATIC_DEPS (the default) the libraries the modules name under
# `pkg-config --static` are linked from their archives (libyaml.a and the
# like), glibc's own (c, m, dl, pthread, rt) staying shared: each shared
# library costs every start of stanza a mapping, its relocations and its
# symbol lookups in the dynamic loader (with eight of them, `stanza --version`
# took 1.7 ms more: issue 12, README's Speed). All or nothing: when one
# archive is missing, or a module gives no static list, every module is
# linked shared, so that no library (libtinfo, which ncursesw and readline
# share) is linked twice. Distributions that want security fixes of these
# libraries to reach stanza without a rebuild configure with
# -DSTANZA_STATIC_DEPS=OFF.
option(STANZA_STATIC_DEPS "Link the libraries stanza depends on (but glibc) from their static archives" ON)

# The archives for the module whose pkg-config prefix is prefix, in out; "" if one is missing.
function(_stanza_archives prefix out)
  set(archives "")
  if(NOT ${prefix}_STATIC_LIBRARIES)
    set(${out} "" PARENT_SCOPE)
    return()
  endif()
  foreach(lib IN LISTS ${prefix}_STATIC_LIBRARIES)
    if(lib MATCHES "^(c|m|dl|pthread|rt)$")
      list(APPEND archives ${lib})
      continue()
    endif()
    unset(_archive CACHE)
    if(${prefix}_STATIC_LIBRARY_DIRS)
      find_library(_archive NAMES lib${lib}.a PATHS ${${prefix}_STATIC_LIBRARY_DIRS} NO_DEFAULT_PATH)
    else()
      find_library(_archive NAMES lib${lib}.a)
    endif()
    set(found ${_archive})
    unset(_archive CACHE)
    if(NOT found)
      message(STATUS "no lib${lib}.a: the libraries are linked shared")
      set(${out} "" PARENT_SCOPE)
      return()
    endif()
    list(APPEND archives ${found})
  endforeach()
  set(${out} "${archives}" PARENT_SCOPE)
endfunction()

function(stanza_deps)
  set(pairs ${ARGN})
  set(static ${STANZA_STATIC_DEPS})
  set(prefixes "")
  while(pairs)
    list(POP_FRONT pairs var module)
    string(MAKE_C_IDENTIFIER "${module}" prefix)
    string(TOUPPER "${prefix}" prefix)
    list(APPEND prefixes ${prefix})
    set(var_${prefix} ${var})
    pkg_check_modules(${prefix} REQUIRED IMPORTED_TARGET ${module})
    if(static)
      _stanza_archives(${prefix} archives)
      if(archives)
        set(archives_${prefix} "${archives}")
      else()
        set(static OFF)
      endif()
    endif()
  endwhile()
  foreach(prefix IN LISTS prefixes)
    set(var ${var_${prefix}})
    if(NOT static)
      set(${var} PkgConfig::${prefix} PARENT_SCOPE)
      continue()
    endif()
    add_library(stanza_static_${prefix} INTERFACE)
    target_include_directories(stanza_static_${prefix} INTERFACE ${${prefix}_STATIC_INCLUDE_DIRS})
    target_compile_options(stanza_static_${prefix} INTERFACE ${${prefix}_STATIC_CFLAGS_OTHER})
    target_link_options(stanza_static_${prefix} INTERFACE ${${prefix}_STATIC_LDFLAGS_OTHER})
    target_link_libraries(stanza_static_${prefix} INTERFACE ${archives_${prefix}})
    set(${var} stanza_static_${prefix} PARENT_SCOPE)
  endforeach()
  message(STATUS "stanza's libraries but glibc: ${static} for static archives")
endfunction()
