# swiftvm — top-level build. The README's two commands are `make run` and `make test`.
#   make          build the VMM (build/swiftvm), the kernel (build/kernel.elf), the initrd (build/initrd.img)
#                 and the OS image (build/os.img: RedoxFS with /boot/kernel.elf and /boot/initrd.img)
#   make run      build everything and boot your disk (build/disk.img, kept between builds)
#   make test     build everything and run every test (unit, KVM, boot, QEMU, gdb; concurrent suites under TSan)
#   make bench    print the benchmarks
SHELL := /bin/bash
SWIFT ?= swift
BUILD := build
HOST_CONFIG ?= release
# The shipped swiftvm links the Swift runtime statically: no libswift*.so to find, map and relocate
# at every start (`swift test` builds its own dynamically linked debug products).
HOST_FLAGS ?= --static-swift-stdlib
GUEST_TRIPLE := x86_64-unknown-none-elf
GUEST_OUT := Guest/.build/$(GUEST_TRIPLE)/release
# sh (the POSIX shell) computes with Double, so it is built apart with SSE instead of soft-float
# (Guest/Package.swift, floatTargets): its own toolset and scratch path.
# The ring-3 programs packed into the default initrd (init is the first process).
PROGRAMS := init hello crash usertests bench blktest fs sh echo ps kill \
            piped blkd fsd ls cat mkdir rmdir rm mv cp touch fsck fsbench \
            ctest wc head grep snapshot sleep df unixtests filetests cunix fputest printftest \
            tail sort uniq cut tr tee seq basename dirname true false yes chmod sysfuzz sigtests ttyd ttytest watchdog
# Programs only in the OS image's /bin (the shell runs them by exec from there): the everyday
# utilities of issue 13 beyond the set above, kept out of the initrd, which every boot loads into
# memory (18 programs of 0.6-1.2 MB: the initrd would grow from 21 to 33 MB).
BIN_PROGRAMS := kstat fold expand unexpand paste comm nl cmp od hexdump printf test expr env pwd xargs sed find date du realpath readlink uname id whoami mktemp stat dd diff time ln which chown su \
                base64 md5sum printenv truncate xxd egrep fgrep \
                less more nano

.PHONY: all host guest libm sysroot ports run test soak bench bench-fs deps clean fuzz toybox-tests
all: host guest libm sysroot ports $(BUILD)/initrd.img $(BUILD)/os.img

deps:
	@./scripts/install-deps.sh

# The guest's libm: musl's math objects from Debian's musl-dev, fetched (sha256-checked, cached in
# build/cache) and built into build/libm/libm.a; build/libm/musl-host.o is for Tests/LibmTests.
libm: deps
	@./scripts/fetch-libm.sh $(BUILD)

# The C toolchain for guest programs: build/sysroot (headers, crt1.o, libc.a, libm.a, user.ld) and
# build/bin/swiftvm-cc (`build/bin/swiftvm-cc -O2 -o hello hello.c`), from the guest build's objects.
sysroot: guest libm
	@./scripts/make-sysroot.sh $(BUILD) $(GUEST_OUT)

host: deps
	$(SWIFT) build -c $(HOST_CONFIG) --product swiftvm $(HOST_FLAGS)
	@mkdir -p $(BUILD)
	cp .build/$(HOST_CONFIG)/swiftvm $(BUILD)/swiftvm

guest: deps
	cd Guest && $(SWIFT) build -c release --triple $(GUEST_TRIPLE) --toolset toolset.json
	@mkdir -p $(BUILD)
	cp $(GUEST_OUT)/Kernel $(BUILD)/kernel.elf
	for p in $(PROGRAMS) $(BIN_PROGRAMS); do cp $(GUEST_OUT)/$$p $(BUILD)/$$p.elf; done

# The initrd holds the programs without their debug info (gdb reads it from build/*.elf on the host):
# 3.5 MiB instead of 14, so less to load and to copy at every boot.
$(BUILD)/initrd.img: host guest
	@mkdir -p $(BUILD)/initrd
	for p in $(PROGRAMS); do strip --strip-debug -o $(BUILD)/initrd/$$p $(BUILD)/$$p.elf; done
	$(BUILD)/swiftvm initrd $@ $(foreach p,$(PROGRAMS),$(p)=$(BUILD)/initrd/$(p))

# Third-party C programs built unmodified with swiftvm-cc (ports/README.md): each recipe fetches its
# source from a package registry (cached, sha256-checked, in build/ports/cache), builds it and
# installs into build/ports/root (/usr/bin, and the ports' own tests under /usr/share/ports). Only
# /usr/bin goes on os.img: the test trees (hundreds of small files) would change what every boot
# test that walks the disk sees; PortsBootTests builds its own image with them.
PORTS ?= zlib awk lua sqlite
ports: sysroot
	@./ports/build.sh $(BUILD) $(PORTS)

# The OS image: a RedoxFS image built from build/root (the same filesystem code the guest uses):
# /boot (kernel, initrd), /bin (every program, run by path with exec), /tmp, /usr (the ports). 128 MiB: the initrd and
# /bin hold every program twice, and the snapshot boot test keeps a second initrd in a snapshot.
$(BUILD)/os.img: $(BUILD)/initrd.img ports
	rm -rf $(BUILD)/root && mkdir -p $(BUILD)/root/boot $(BUILD)/root/bin $(BUILD)/root/tmp $(BUILD)/root/usr/bin
	cp $(BUILD)/kernel.elf $(BUILD)/initrd.img $(BUILD)/root/boot/
	for p in $(PROGRAMS); do cp $(BUILD)/initrd/$$p $(BUILD)/root/bin/$$p; done
	for p in $(BIN_PROGRAMS); do strip --strip-debug -o $(BUILD)/root/bin/$$p $(BUILD)/$$p.elf; done
	cp $(BUILD)/root/bin/test '$(BUILD)/root/bin/['   # test, called as [ (it checks argv[0])
	cp -R $(BUILD)/ports/root/usr/bin/. $(BUILD)/root/usr/bin/
	# Users (docs/SECURITY.md): root and one ordinary user; /tmp is everyone's, sticky (XBD 4.7).
	mkdir -p $(BUILD)/root/etc
	printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n' > $(BUILD)/root/etc/passwd
	printf 'root:x:0:\nuser:x:1000:\n' > $(BUILD)/root/etc/group
	chmod 644 $(BUILD)/root/etc/passwd $(BUILD)/root/etc/group
	chmod 1777 $(BUILD)/root/tmp
	rm -f $@ && $(BUILD)/swiftvm image build $@ --from $(BUILD)/root --size 256M

# `make run` boots your disk, build/disk.img: made from build/os.img the first time; after that a
# build only replaces its /boot/kernel.elf and /boot/initrd.img, so what you made in the guest stays
# (delete build/disk.img to start over). The tests use copies of the pristine build/os.img.
run: all
	@if [ -f $(BUILD)/disk.img ]; then \
	    $(BUILD)/swiftvm image put $(BUILD)/disk.img $(BUILD)/kernel.elf /boot/kernel.elf && \
	    $(BUILD)/swiftvm image put $(BUILD)/disk.img $(BUILD)/initrd.img /boot/initrd.img; \
	else cp $(BUILD)/os.img $(BUILD)/disk.img; fi
	$(BUILD)/swiftvm run $(BUILD)/disk.img

# The concurrent suites once more under ThreadSanitizer (issue 16): the event loop, the virtio devices
# with a mock driver on another thread, guest memory's single-access ring fields, the gdb stub and its
# sockets. Its own scratch path keeps the plain debug build; only these suites run (under a minute
# after the build). Any report fails the run (TSan's exit code 66).
TSAN_SUITES := VirtioTests|GuestMemoryTests|GDBStubTests
test: all toybox-tests
	$(SWIFT) test
	SWIFT='$(SWIFT)' TSAN_SUITES='$(TSAN_SUITES)' ./scripts/test-tsan.sh

# toybox 0.8.9's own tests (tests/*.test), the judge of the utilities (Tests/BootTests/ToyboxBootTests):
# Debian's source fetched with apt-get source, sha256-checked, cached in build/ports/cache and
# unpacked into build/toybox/tests; run by our POSIX runner, scripts/toybox/runner.sh.
toybox-tests:
	@./scripts/fetch-toybox-tests.sh $(BUILD)

# The long runs make test leaves out: SQLite's fuzzcheck over every test/fuzzdata*.db (46,217 cases;
# make test runs two of the eight files) and Lua's full test suite, `lua all.lua` (make test runs
# main.lua and attrib.lua alone), PortsBootTests; and 1,000 power cuts (make test: four), PowerCutTests.
soak: all
	POWER_CUTS=$${POWER_CUTS:-1000} $(SWIFT) test --filter everyAcknowledgedWriteSurvivesPowerCuts
	SERVER_KILLS=$${SERVER_KILLS:-1000} $(SWIFT) test --filter serversKilledDuringContinuousIOLoseNothing

# Fuzzing for real (make test runs the short, fixed-seed versions): the host libFuzzer targets, then
# the in-guest system-call fuzzer with a fresh seed (printed: rerun one with SYSFUZZ_SEED=N).
SECONDS ?= 300
fuzz: all
	./scripts/fuzz-redoxfs.sh $(SECONDS)
	./scripts/fuzz-virtio.sh $(SECONDS)
	SYSFUZZ_SECONDS=$(SECONDS) SYSFUZZ_SEED=$${SYSFUZZ_SEED:-$$(date +%s)} $(SWIFT) test --filter theSystemCallFuzzer

bench: all
	@./scripts/bench.sh
	@echo
	@echo "== bulk data and the everyday utilities, guest vs host (scripts/bench-data.sh)"
	@./scripts/bench-data.sh
	@echo
	@./scripts/bench-ports.sh

# RedoxFS through the library on a file-backed image vs a plain host directory (docs/REDOXFS-FORMAT.md).
bench-fs:
	$(SWIFT) build -c release --product swiftvm $(HOST_FLAGS)
	.build/release/swiftvm image bench $${BENCH_DIR:-/tmp}

clean:
	rm -rf $(BUILD) .build Guest/.build
