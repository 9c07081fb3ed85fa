// ProgramSymbols.swift — where gdb finds a guest program's symbols: NAME.elf (unstripped, as `make`
// builds it) in the symbol directories (`swiftvm run --symbols DIR`; default next to the booted
// file, next to swiftvm, ./build), reported to gdb with the address of its first loadable segment.
// NAME comes from the guest: only a plain file name is looked up (no `/`, not `.` or `..`), so the
// guest cannot point gdb at any other host file.
import ELF
import GDBStub
import Glibc
import HostSupport

enum ProgramSymbols {
    /// Letters, digits, `.`, `_`, `-`; not `.` or `..`; at most 255 bytes (NAME_MAX).
    static func isPlainName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 255, name != ".", name != ".." else { return false }
        return bytes.allSatisfy { b in
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
    }

    /// The first NAME.elf in `directories` that parses as an ELF with a loadable segment.
    static func library(named name: String, in directories: [String]) -> LoadedLibrary? {
        guard isPlainName(name) else { return nil }
        for dir in directories {
            let path = dir + "/" + name + ".elf"
            guard fileExists(path), let bytes = try? readFile(path) else { continue }
            let first: UInt64? = bytes.withUnsafeBytes { raw in
                guard let elf = try? ELFFile(bytes: raw) else { return nil }
                return elf.segments.map(\.virtualAddress).min()
            }
            guard let first else { continue }
            return LoadedLibrary(path: absolute(path), segmentAddress: first)
        }
        return nil
    }

    /// gdb may run in another directory than swiftvm: hand it an absolute path.
    static func absolute(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
