# swiftvm.py — gdb extension: Swift frames in `bt` (and `frame`, `up`, …) shown demangled.
# Load with: gdb -x scripts/gdb/swiftvm.py …   (or `source scripts/gdb/swiftvm.py` at the prompt)
#
# gdb has no Swift language support, so it prints linkage names ($e6Kernel8ProgramsO5start…).
# Demangling uses the Swift runtime's own demangler, `swift_demangle` in libswiftCore (the one
# `swiftvm symbolize` and `swiftvm run`'s crash reports use; it accepts Embedded Swift's `$e`),
# loaded through ctypes; if no libswiftCore.so is found, it falls back to the toolchain's
# `swift-demangle` program. `swift-demangle-name NAME` prints one name's demangled form.
#
# Each process's own symbols: every ring-3 program is linked at the same addresses, so gdb can hold
# one program's symbols at a time — the stub reports the program that started last. After `thread N`
# (a hook, `hookpost-thread`) the extension loads the selected process's program instead
# (`swiftvm-thread-symbols` does it by hand): NAME.elf from the directory of the kernel's ELF or of
# the program gdb loaded (`--symbols DIR`), so `bt`, `list` and `print` in that thread name its
# functions and lines. Breakpoints set by name follow the symbols gdb holds (a breakpoint in `ls`
# is pending while fsd's symbols are loaded, and planted again when ls's are).
import ctypes
import os
import re
import shutil
import subprocess

import gdb
from gdb.FrameDecorator import FrameDecorator


def _runtime_candidates():
    if os.environ.get("SWIFTVM_LIBSWIFTCORE"):
        yield os.environ["SWIFTVM_LIBSWIFTCORE"]
    swift = shutil.which("swift") or "/opt/swift/usr/bin/swift"
    toolchain = os.path.dirname(os.path.dirname(os.path.realpath(swift)))
    yield os.path.join(toolchain, "lib", "swift", "linux", "libswiftCore.so")
    yield "/opt/swift/usr/lib/swift/linux/libswiftCore.so"


class _Demangler:
    def __init__(self):
        self.cache = {}
        self.runtime = None
        self.free = None
        for path in _runtime_candidates():
            if not os.path.exists(path):
                continue
            try:
                lib = ctypes.CDLL(path)
            except OSError:
                continue
            f = lib.swift_demangle
            # swift/Runtime/Demangle.h: char *swift_demangle(const char *, size_t, char *, size_t *, uint32_t)
            f.restype = ctypes.c_void_p
            f.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                          ctypes.POINTER(ctypes.c_size_t), ctypes.c_uint32]
            self.runtime = f
            self.free = ctypes.CDLL(None).free
            self.free.argtypes = [ctypes.c_void_p]
            break
        self.tool = None if self.runtime else (shutil.which("swift-demangle") or
                                               ("/opt/swift/usr/bin/swift-demangle"
                                                if os.path.exists("/opt/swift/usr/bin/swift-demangle") else None))

    def demangle(self, name):
        """The demangled form of a Swift symbol, or None for other names (C names stay as they are)."""
        if not name or not (name.startswith("$") or name.startswith("_$") or name.startswith("_T")):
            return None
        if name in self.cache:
            return self.cache[name]
        result = None
        if self.runtime:
            raw = name.encode()
            p = self.runtime(raw, len(raw), None, None, 0)
            if p:
                result = ctypes.string_at(p).decode(errors="replace")
                self.free(p)
        elif self.tool:
            out = subprocess.run([self.tool, "--compact", name], capture_output=True, text=True).stdout.strip()
            result = out if out and out != name else None
        self.cache[name] = result
        return result


demangler = _Demangler()


class SwiftFrameDecorator(FrameDecorator):
    def function(self):
        name = super().function()
        if isinstance(name, str):
            return demangler.demangle(name) or name
        return name


class SwiftFrameFilter:
    def __init__(self):
        self.name = "swiftvm-swift-demangle"
        self.priority = 100
        self.enabled = True
        gdb.frame_filters[self.name] = self

    def filter(self, frames):
        return map(SwiftFrameDecorator, frames)


class DemangleCommand(gdb.Command):
    """swift-demangle-name NAME: print NAME demangled with the Swift runtime's demangler."""

    def __init__(self):
        super().__init__("swift-demangle-name", gdb.COMMAND_DATA)

    def invoke(self, argument, from_tty):
        name = argument.strip().strip("'")
        print(demangler.demangle(name) or name)


def _selected_program():
    """The program name of the selected thread ("fsd" for "Thread 6 (fsd, pid 6, …)"), or None for
    the kernel's thread and stops without the process table."""
    thread = gdb.selected_thread()
    if thread is None:
        return None
    tid = thread.ptid[1] or thread.ptid[2]
    listing = gdb.execute("info threads", to_string=True)
    match = re.search(r"Thread %d \(([^,()]+), pid \d+" % tid, listing)
    return match.group(1) if match else None


def _symbol_directories():
    """Where the unstripped ELFs are: beside the program gdb loaded last, and beside the kernel's."""
    seen = []
    for objfile in gdb.objfiles():
        name = objfile.filename or ""
        if name.endswith(".elf"):
            d = os.path.dirname(name)
            if d not in seen:
                seen.append(d)
    return seen


class ThreadSymbolsCommand(gdb.Command):
    """swiftvm-thread-symbols: load the selected process's program symbols (NAME.elf) in place of the
    ring-3 program's symbols gdb holds; nothing for the kernel's thread."""

    def __init__(self):
        super().__init__("swiftvm-thread-symbols", gdb.COMMAND_DATA)
        self.added = None   # the file this command added, to remove before the next one

    def invoke(self, argument, from_tty):
        name = _selected_program()
        if name is None or name == "kernel":
            return
        path = next((os.path.join(d, name + ".elf") for d in _symbol_directories()
                     if os.path.exists(os.path.join(d, name + ".elf"))), None)
        if path is None:
            print("swiftvm: no %s.elf beside the kernel's ELF: %s's frames stay unnamed" % (name, name))
            return
        loaded = [o.filename for o in gdb.objfiles()]
        if self.added == path and path in loaded:
            return
        confirm = gdb.parameter("confirm")
        gdb.execute("set confirm off", to_string=True)
        try:
            # The program gdb loaded as a library (the last to start) and the one added here
            # before both cover the same addresses: drop them, then add this process's.
            gdb.execute("nosharedlibrary", to_string=True)
            if self.added and self.added in loaded:
                gdb.execute("remove-symbol-file %s" % self.added, to_string=True)
            gdb.execute("add-symbol-file %s -o 0" % path, to_string=True)
            self.added = path
        finally:
            gdb.execute("set confirm %s" % ("on" if confirm else "off"), to_string=True)
        print("swiftvm: symbols of %s (%s)" % (name, path))


SwiftFrameFilter()
DemangleCommand()
ThreadSymbolsCommand()
gdb.execute("define hookpost-thread\nswiftvm-thread-symbols\nend")
