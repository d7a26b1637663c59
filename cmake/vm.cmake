# SPDX-License-Identifier: GPL-3.0-or-later
# vm.cmake - the vm test tier: the integration suite inside a QEMU guest on a pure cgroup v2 kernel
#
# tests/vm/vm.sh does everything when the test runs (see tests/vm/README.md):
# it fetches Debian's linux-image-amd64 with `apt-get download` (cached in
# <build>/vm/cache), builds an initramfs and an ext4 root disk from this
# build's stanza, image and tests, boots them with qemu-system-x86_64 under
# software emulation, and reads the guest's verdict from its serial console.
# Doing it at test time rather than build time keeps the build free of
# network access and qemu; a missing piece fails this test (it never skips).
#
# RUN_SERIAL: two emulated CPUs keep both of this machine's cores busy, which
# would disturb the timing checks of tests running beside it (and theirs it).
set(STANZA_VM_WORK ${CMAKE_BINARY_DIR}/vm)
add_test(NAME vm/cgroup-v2
  COMMAND bash ${PROJECT_SOURCE_DIR}/tests/vm/vm.sh
          --stanza $<TARGET_FILE:stanza>
          --build-dir ${CMAKE_BINARY_DIR}
          --source-dir ${PROJECT_SOURCE_DIR}
          --work ${STANZA_VM_WORK})
set_tests_properties(vm/cgroup-v2 PROPERTIES
  LABELS vm
  RUN_SERIAL TRUE
  TIMEOUT 1800)
