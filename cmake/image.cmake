# SPDX-License-Identifier: GPL-3.0-or-later
# image.cmake - build the default image, busybox, into <build>/images/busybox and install it
#
# scripts/make-image.sh does the work (see its header); this file runs it when
# the script or the chosen busybox changes, makes `stanza` depend on it, and
# installs the result under <datadir>/stanza/images/busybox.
#
# STANZA_BUSYBOX (cache variable, default $ENV{STANZA_BUSYBOX}): a static
# busybox to use instead of /bin/busybox or Debian's busybox-static, for
# offline builds.
# STANZA_IMAGE_EXTRA (list of <target>=</path/in/image>, set before this file
# is included): static programs of the project's own copied into the image.

set(STANZA_BUSYBOX "$ENV{STANZA_BUSYBOX}" CACHE FILEPATH
    "A statically linked busybox for the image (default: /bin/busybox if static, else Debian's busybox-static)")

set(STANZA_IMAGE_DIR ${CMAKE_BINARY_DIR}/images/busybox)
set(_image_script ${CMAKE_SOURCE_DIR}/scripts/make-image.sh)
set(_image_args --out ${STANZA_IMAGE_DIR} --cache ${CMAKE_BINARY_DIR}/cache/busybox-static)
set(_image_depends ${_image_script})
if(STANZA_BUSYBOX)
  list(APPEND _image_args --busybox ${STANZA_BUSYBOX})
  list(APPEND _image_depends ${STANZA_BUSYBOX})
endif()
foreach(_extra IN LISTS STANZA_IMAGE_EXTRA)
  string(REPLACE "=" ";" _pair "${_extra}")
  list(GET _pair 0 _target)
  list(GET _pair 1 _dest)
  list(APPEND _image_args --add "$<TARGET_FILE:${_target}>:${_dest}")
  list(APPEND _image_depends ${_target})
endforeach()

add_custom_command(
  OUTPUT ${STANZA_IMAGE_DIR}/VERSION
  COMMAND bash ${_image_script} ${_image_args}
  DEPENDS ${_image_depends}
  COMMENT "Assembling the busybox image"
  VERBATIM)
add_custom_target(image ALL DEPENDS ${STANZA_IMAGE_DIR}/VERSION)
add_dependencies(stanza image)

# Symbolic links are installed as links; the modes (1777 tmp, 0700 root) are
# not all kept by install(DIRECTORY), so they are set again afterwards. Every
# file stays root's (see the owners file).
install(DIRECTORY ${STANZA_IMAGE_DIR}/ DESTINATION ${CMAKE_INSTALL_DATADIR}/stanza/images/busybox
        USE_SOURCE_PERMISSIONS)
install(CODE "
  set(_root \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/stanza/images/busybox/rootfs\")
  if(IS_ABSOLUTE \"${CMAKE_INSTALL_DATADIR}\")
    set(_root \"\$ENV{DESTDIR}${CMAKE_INSTALL_DATADIR}/stanza/images/busybox/rootfs\")
  endif()
  execute_process(COMMAND chmod 1777 \"\${_root}/tmp\" \"\${_root}/var/tmp\")
  execute_process(COMMAND chmod 0700 \"\${_root}/root\")
")
