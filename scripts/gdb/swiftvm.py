# swiftvm.py — gdb extension: Swift frames in `bt` (and `frame`, `up`, …) shown demangled.
# Load with: gdb -x scripts/gdb/swiftvm.py …   (or `source scripts/gdb/swiftvm.py` at the prompt)
#
# gdb has no Swift language support, so it prints linkage names ($e6Kernel8ProgramsO5start…).
# Demangling uses the Swift runtime's own demangler, `swift_demangle` in libswiftCore (the one
# `swiftvm symbolize` and `swiftvm run`'s crash reports use; it accepts Embedded Swift's `$e`),
# loaded through ctypes; if no libswiftCore.so is found, it falls back to the toolchain's
# `swift-demangle` program. `swift-demangle-name NAME` prints one name's demangled form.
import ctypes
import os
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


SwiftFrameFilter()
DemangleCommand()
