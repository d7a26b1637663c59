# SPDX-License-Identifier: GPL-3.0-or-later
# Thin wrapper over CMake (after neovim's): `make run` and `make check` are the contract.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=
PREFIX ?= /usr/local
DESTDIR ?=
# How long `make fuzz` runs each libFuzzer target, in seconds.
FUZZ_SECONDS ?= 60
# CI builds with warnings as errors.
ifneq ($(CI),)
CMAKE_FLAGS += -DSTANZA_WERROR=ON
endif


.PHONY: all deps configure build run check check-vm soak test unit integration format format-check sanitize fuzz install bench clean distclean

all: build

deps:
	@scripts/deps.sh

# Configure every time (it is quick when nothing changed) so that flags such
# as CI's -Werror reach a build directory configured before.
configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS) >/dev/null

build: configure
	cmake --build $(BUILD_DIR) -j$$(nproc)

run: build
	$(BUILD_DIR)/stanza $(ARGS)

# Every tier this machine can run: the plain build, then the same suites under ASan+UBSan,
# then libFuzzer on the loaders, the option parsers and the image documents (make fuzz, about 3 minutes),
# then the pure cgroup v2 guest (label vm: a QEMU guest under emulation, about 9.5 minutes
# idle and 14 under load, for the runtime's, the labs' and the escape suites as root and
# rootless). The guest runs last and alone: it is timing-sensitive, and every core it
# gets shortens it.
# The long soak (label soak) is `make soak`.
check: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j2 -LE 'vm|soak' $(CTEST_FLAGS)
	$(MAKE) sanitize
	$(MAKE) fuzz
	cd $(BUILD_DIR) && ctest --output-on-failure -L vm $(CTEST_FLAGS)

check-vm: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L vm

# 1000 sequential mixed runs and 100 SIGKILLs, as root and rootless: docs/testing-soak.md.
soak: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L soak $(CTEST_FLAGS)

test: check

unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L unit

integration: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L integration

sanitize: deps
	cmake -S . -B $(BUILD_DIR)-asan -DCMAKE_BUILD_TYPE=Debug -DSTANZA_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD_DIR)-asan -j$$(nproc)
	cd $(BUILD_DIR)-asan && ctest --output-on-failure -L 'unit|integration|rootless' -E 'lint|format'

# The libFuzzer targets (tests/fuzz/README.md), built with clang in $(BUILD_DIR)-fuzz: each runs
# FUZZ_SECONDS, two at a time. Without clang or libFuzzer it is a skip that says so (under CI, a failure).
fuzz: deps
	tests/fuzz/run.sh $(BUILD_DIR)-fuzz $(FUZZ_SECONDS) $(CMAKE_FLAGS)

format:
	clang-format -i $$(git ls-files -co --exclude-standard '*.c' '*.h')

format-check:
	@scripts/format-check.sh

install: build
	DESTDIR=$(DESTDIR) cmake --install $(BUILD_DIR) --prefix $(PREFIX)

bench: build
	bench/startup.sh $(BUILD_DIR)/stanza

clean:
	cmake --build $(BUILD_DIR) --target clean 2>/dev/null || true

distclean:
	rm -rf $(BUILD_DIR) $(BUILD_DIR)-asan $(BUILD_DIR)-fuzz
