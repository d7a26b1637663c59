# SPDX-License-Identifier: GPL-3.0-or-later
# labtool.cmake - build labtool, the image's static helper, and put it in the image at /usr/bin/labtool
#
# labtool (tools/labtool/, docs/labtool.md) does for the labs what busybox
# cannot: IPC objects, touching memory page by page, a busy loop, naming
# capability bits. It runs inside containers on the busybox image, which has
# no shared libraries, so it is linked statically against glibc's libc.a.
#
# Include this file before image.cmake: it adds labtool to STANZA_IMAGE_EXTRA.

file(GLOB LABTOOL_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tools/labtool/*.c)
add_executable(labtool ${LABTOOL_SOURCES})

# Never instrumented, even with STANZA_SANITIZE: gcc refuses -static with
# -fsanitize=address. -fno-sanitize=all comes after the directory's options
# and any CMAKE_C_FLAGS, and cancels every -fsanitize before it, when compiling
# and when linking; the directory's warnings and -Werror still apply.
target_compile_options(labtool PRIVATE -fno-sanitize=all)
target_link_options(labtool PRIVATE -fno-sanitize=all -static)

list(APPEND STANZA_IMAGE_EXTRA "labtool=/usr/bin/labtool")
