# SPDX-License-Identifier: GPL-3.0-or-later
# fuzz.cmake - libFuzzer targets over the loaders and the option parsers (tests/fuzz/, clang only)
#
# Included from the top-level CMakeLists.txt when STANZA_FUZZ is ON, after the
# libraries are defined. Configure a build directory of its own with clang
# (`make fuzz` does: build-fuzz); the gcc build is untouched. Every library is
# compiled with coverage hooks for libFuzzer and with ASan+UBSan, and each
# tests/fuzz/fuzz_<name>.c becomes the executable fuzz_<name>. The target
# fuzz_all builds them all and makes the seeds and dictionaries under
# <build>/fuzz/ (tests/fuzz/seed.sh). How to run them: tests/fuzz/README.md.

if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "STANZA_FUZZ needs clang, which has libFuzzer: configure with -DCMAKE_C_COMPILER=clang")
endif()

include(CheckCSourceCompiles)
set(CMAKE_REQUIRED_FLAGS -fsanitize=fuzzer)
set(CMAKE_REQUIRED_LINK_OPTIONS -fsanitize=fuzzer)
check_c_source_compiles([[
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return data == NULL && size > 0; }
]] STANZA_HAVE_LIBFUZZER)
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_LINK_OPTIONS)
if(NOT STANZA_HAVE_LIBFUZZER)
  message(FATAL_ERROR "clang cannot link -fsanitize=fuzzer: libFuzzer is missing (Debian: libclang-rt-dev)")
endif()

# -O1 keeps the runs fast and the stacks readable; the build type's -g stays.
# Every UBSan finding aborts, so that libFuzzer sees it as a crash. Warnings
# are held to STANZA_WERROR as in the gcc builds: clang's must be fixed too.
set(STANZA_FUZZ_FLAGS -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined)

foreach(lib stanza_common stanza_runtime stanza_image stanza_oci stanza_course stanza_labs stanza_tui stanza_shell stanza_cli)
  target_compile_options(${lib} PRIVATE ${STANZA_FUZZ_FLAGS} -fsanitize=fuzzer-no-link)
endforeach()

add_custom_target(fuzz_seeds
  COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fuzz/seed.sh ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/fuzz
  COMMENT "Seeding the fuzz corpora from lessons/, labs/ and the fixtures"
  VERBATIM)
add_custom_target(fuzz_all DEPENDS fuzz_seeds)

file(GLOB STANZA_FUZZ_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_*.c)
foreach(src ${STANZA_FUZZ_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_compile_options(${name} PRIVATE ${STANZA_FUZZ_FLAGS} -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  # The static libraries give only the objects a target uses.
  target_link_libraries(${name} PRIVATE stanza_cli)
  add_dependencies(fuzz_all ${name})
endforeach()
