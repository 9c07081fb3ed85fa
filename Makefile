# swiftvm — top-level build. The README's two commands are `make run` and `make test`.
#   make          build the VMM (build/swiftvm), the kernel (build/kernel.elf), the initrd (build/initrd.img)
#   make run      build everything and boot the default guest
#   make test     build everything and run every test (unit, KVM, boot, gdb)
#   make bench    print the benchmarks
SHELL := /bin/bash
SWIFT ?= swift
BUILD := build
HOST_CONFIG ?= release
GUEST_TRIPLE := x86_64-unknown-none-elf
GUEST_BUILD := Guest/.build/$(GUEST_TRIPLE)/release

.PHONY: all host guest run test unit-test bench bench-fs deps clean
all: host guest

deps:
	@./scripts/install-deps.sh

host: deps
	$(SWIFT) build -c $(HOST_CONFIG) --product swiftvm
	@mkdir -p $(BUILD)
	cp .build/$(HOST_CONFIG)/swiftvm $(BUILD)/swiftvm

guest: deps
	cd Guest && $(SWIFT) build -c release --triple $(GUEST_TRIPLE) --toolset toolset.json

run: all
	$(BUILD)/swiftvm run $(BUILD)/kernel.elf --initrd $(BUILD)/initrd.img

test: all
	$(SWIFT) test

# RedoxFS through the library on a file-backed image vs a plain host directory (docs/REDOXFS-FORMAT.md).
bench-fs:
	$(SWIFT) build -c release --product swiftvm
	.build/release/swiftvm image bench $${BENCH_DIR:-/tmp}

clean:
	rm -rf $(BUILD) .build Guest/.build
