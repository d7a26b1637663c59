# SPDX-License-Identifier: GPL-3.0-or-later
# stanza_pkg(VAR MODULE): find MODULE with pkg-config and set VAR to what to link it with.
#
# With STANZA_STATIC_DEPS (the default) the libraries a module names under
# `pkg-config --static` are linked from their archives (libyaml.a and the like)
# when every one of them is there, and glibc's own (c, m, dl, pthread, rt) stay
# shared. Each shared library costs every start of stanza a mapping, its
# relocations and its symbol lookups in the dynamic loader: with the eight
# libraries shared, `stanza --version` took about 3.5 ms more than /bin/true
# (issue 12, bench/README.md). Without the archives, the shared libraries.
option(STANZA_STATIC_DEPS "Link the libraries stanza depends on (but glibc) from their static archives" ON)

function(stanza_pkg var module)
  string(MAKE_C_IDENTIFIER "${module}" prefix)
  string(TOUPPER "${prefix}" prefix)
  pkg_check_modules(${prefix} REQUIRED IMPORTED_TARGET ${module})
  set(${var} PkgConfig::${prefix} PARENT_SCOPE)
  if(NOT STANZA_STATIC_DEPS)
    return()
  endif()
  set(archives "")
  foreach(lib IN LISTS ${prefix}_STATIC_LIBRARIES)
    if(lib MATCHES "^(c|m|dl|pthread|rt)$")
      list(APPEND archives ${lib})
      continue()
    endif()
    find_library(archive_${lib} NAMES lib${lib}.a HINTS ${${prefix}_STATIC_LIBRARY_DIRS} NO_CACHE)
    set(archive ${archive_${lib}})
    if(NOT archive)
      message(STATUS "${module}: no lib${lib}.a, linking it shared")
      return()
    endif()
    list(APPEND archives ${archive})
  endforeach()
  set(target stanza_static_${prefix})
  add_library(${target} INTERFACE)
  target_include_directories(${target} INTERFACE ${${prefix}_INCLUDE_DIRS})
  target_compile_options(${target} INTERFACE ${${prefix}_CFLAGS_OTHER})
  target_link_libraries(${target} INTERFACE ${archives})
  set(${var} ${target} PARENT_SCOPE)
endfunction()
