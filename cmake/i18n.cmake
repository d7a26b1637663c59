# SPDX-License-Identifier: GPL-3.0-or-later
# i18n.cmake - user-interface translations: extract (pot), merge (update-po), compile and install (.mo)
#
# i18n/stanza.pot is the template, regenerated from the C sources by the `pot`
# target and kept in git; i18n/<lang>.po are the translations, one per
# language listed in i18n/LINGUAS. Each is compiled into
# <build>/locale/<lang>/LC_MESSAGES/stanza.mo, where the binary in the build
# tree looks (src/common/datadir.c), and installed into the FHS locale dir.
#
#   cmake --build build --target pot        # after adding or changing strings
#   cmake --build build --target update-po  # merge the new template into every .po
#
# The lint/i18n test fails when a string in the sources has no translation.
#
# This file is also a script (cmake -P), so that the extraction runs without
# shell quoting: -DMODE=extract -DSOURCE_DIR=... -DOUTPUT=... -DXGETTEXT=...,
# or -DMODE=check (also -DMSGCMP=... -DLINGUAS=...).

set(STANZA_XGETTEXT_OPTIONS
    --language=C --from-code=UTF-8 --add-comments=TRANSLATORS:
    --keyword=_ --keyword=N_ --keyword=Q_:1,2
    --package-name=stanza --sort-by-file --add-location=file)

function(stanza_extract_messages source_dir xgettext output)
  file(GLOB_RECURSE _sources RELATIVE ${source_dir} ${source_dir}/src/*.c ${source_dir}/src/*.h)
  list(SORT _sources)
  execute_process(
    COMMAND ${xgettext} ${STANZA_XGETTEXT_OPTIONS} --package-version=${VERSION} -o ${output} ${_sources}
    WORKING_DIRECTORY ${source_dir}
    RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "xgettext failed (${_rc})")
  endif()
endfunction()

if(CMAKE_SCRIPT_MODE_FILE)
  if(MODE STREQUAL "extract")
    stanza_extract_messages(${SOURCE_DIR} ${XGETTEXT} ${OUTPUT})
  elseif(MODE STREQUAL "check")
    stanza_extract_messages(${SOURCE_DIR} ${XGETTEXT} ${OUTPUT})
    set(_failed)
    foreach(lang IN LISTS LINGUAS)
      # Untranslated and fuzzy entries count as missing.
      execute_process(COMMAND ${MSGCMP} ${SOURCE_DIR}/i18n/${lang}.po ${OUTPUT} RESULT_VARIABLE _rc)
      if(NOT _rc EQUAL 0)
        list(APPEND _failed ${lang})
      endif()
    endforeach()
    if(_failed)
      message(FATAL_ERROR "untranslated or missing messages in: ${_failed} (see above); "
                          "run `cmake --build <build> --target update-po` and translate i18n/<lang>.po")
    endif()
  endif()
  return()
endif()

find_program(XGETTEXT_EXECUTABLE xgettext)
find_program(MSGFMT_EXECUTABLE msgfmt)
find_program(MSGMERGE_EXECUTABLE msgmerge)
find_program(MSGCMP_EXECUTABLE msgcmp)

set(STANZA_I18N_DIR ${CMAKE_SOURCE_DIR}/i18n)
set(STANZA_POT ${STANZA_I18N_DIR}/stanza.pot)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${STANZA_I18N_DIR}/LINGUAS)
file(STRINGS ${STANZA_I18N_DIR}/LINGUAS STANZA_LINGUAS REGEX "^[^#]")
string(REGEX REPLACE "[ \t]+" ";" STANZA_LINGUAS "${STANZA_LINGUAS}")
list(REMOVE_ITEM STANZA_LINGUAS "")

set(_i18n_script ${CMAKE_CURRENT_LIST_FILE})
set(_i18n_args -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DXGETTEXT=${XGETTEXT_EXECUTABLE} -DVERSION=${PROJECT_VERSION})

if(XGETTEXT_EXECUTABLE)
  # The sources are globbed when `pot` runs, so new files need no reconfigure.
  add_custom_target(pot
    COMMAND ${CMAKE_COMMAND} -DMODE=extract ${_i18n_args} -DOUTPUT=${STANZA_POT} -P ${_i18n_script}
    COMMENT "Extracting messages into i18n/stanza.pot"
    VERBATIM)
else()
  message(WARNING "xgettext not found (Debian: gettext): the pot target is unavailable")
endif()

if(MSGMERGE_EXECUTABLE)
  set(_update_cmds)
  foreach(lang IN LISTS STANZA_LINGUAS)
    list(APPEND _update_cmds COMMAND ${MSGMERGE_EXECUTABLE} --quiet --update --backup=none
         --add-location=file ${STANZA_I18N_DIR}/${lang}.po ${STANZA_POT})
  endforeach()
  add_custom_target(update-po ${_update_cmds}
    COMMENT "Merging i18n/stanza.pot into the translations: ${STANZA_LINGUAS}"
    VERBATIM)
  if(TARGET pot)
    add_dependencies(update-po pot)
  endif()
endif()

if(NOT MSGFMT_EXECUTABLE)
  message(WARNING "msgfmt not found (Debian: gettext): stanza is built without translations")
  return()
endif()

set(_mo_files)
foreach(lang IN LISTS STANZA_LINGUAS)
  set(_po ${STANZA_I18N_DIR}/${lang}.po)
  set(_mo ${CMAKE_BINARY_DIR}/locale/${lang}/LC_MESSAGES/stanza.mo)
  add_custom_command(
    OUTPUT ${_mo}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/locale/${lang}/LC_MESSAGES
    COMMAND ${MSGFMT_EXECUTABLE} --check -o ${_mo} ${_po}
    DEPENDS ${_po}
    COMMENT "Compiling the ${lang} translation"
    VERBATIM)
  list(APPEND _mo_files ${_mo})
  install(FILES ${_mo} DESTINATION ${CMAKE_INSTALL_LOCALEDIR}/${lang}/LC_MESSAGES)
endforeach()
add_custom_target(translations ALL DEPENDS ${_mo_files})
add_dependencies(stanza translations)

# Every message in the sources has a translation in every language.
if(XGETTEXT_EXECUTABLE AND MSGCMP_EXECUTABLE)
  string(REPLACE ";" "\\;" _langs "${STANZA_LINGUAS}")
  add_test(NAME lint/i18n
    COMMAND ${CMAKE_COMMAND} -DMODE=check ${_i18n_args} -DOUTPUT=${CMAKE_BINARY_DIR}/i18n-check.pot
            -DMSGCMP=${MSGCMP_EXECUTABLE} -DLINGUAS=${_langs} -P ${_i18n_script})
  set_tests_properties(lint/i18n PROPERTIES LABELS lint)
endif()
