// Symbolizer.swift — addresses in an unstripped ELF to function, demangled name, file and line,
// through elfutils' libdw (CDwarf). libdw is dlopen'ed by the first Symbolizer, never before, so
// `swiftvm run` maps it only after the guest has stopped.
import CDwarf
import Glibc

public enum SymbolizerError: Error, Equatable, CustomStringConvertible {
    case noSuchFile(String)
    case cannotRead(String, String)
    case notAnELF(String)
    case noDebugInfo(String)
    case libdw(String, String)

    public var description: String {
        switch self {
        case .noSuchFile(let p): "\(p): no such file"
        case .cannotRead(let p, let why): "\(p): cannot read: \(why)"
        case .notAnELF(let p): "\(p): not an ELF file"
        case .noDebugInfo(let p): "\(p): no debug information (stripped?)"
        case .libdw(let p, let why): "\(p): \(why)"
        }
    }
}

/// One address, as far as the debug information knows it.
public struct SymbolizedAddress: Equatable, Sendable {
    public var address: UInt64
    /// The innermost function (an inlined callee if the address is inlined code), as linked.
    public var function: String?
    public var demangled: String?
    public var file: String?
    public var line: Int?

    /// `0x… FUNCTION (DEMANGLED) at FILE:LINE`; `??` where unknown, as addr2line prints.
    public var description: String {
        var s = "0x" + String(address, radix: 16) + " " + (function ?? "??")
        if let demangled { s += " (\(demangled))" }
        s += " at \(file ?? "??"):" + (line.map { String($0) } ?? (file == nil ? "0" : "?"))
        return s
    }
}

public final class Symbolizer {
    public let path: String
    // Owned: closed in deinit.
    private let session: OpaquePointer

    /// Opens `path`; fails with a one-line error naming the file if it is missing, unreadable, not
    /// an ELF, or has no DWARF.
    public init(elf path: String) throws(SymbolizerError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT { throw .noSuchFile(path) }
            throw .cannotRead(path, String(cString: strerror(e)))
        }
        var magic: [UInt8] = [0, 0, 0, 0]
        // SAFETY: reads at most 4 bytes into the 4-byte array.
        let n = magic.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4) }
        close(fd)
        guard n == 4, magic == [0x7f, 0x45, 0x4c, 0x46] else { throw .notAnELF(path) }
        if let problem = cdwarf_load() { throw .libdw(path, String(cString: problem)) }
        var error: UnsafePointer<CChar>? = nil
        guard let s = cdwarf_open(path, &error) else {
            throw .libdw(path, error.map { String(cString: $0) } ?? "libdw cannot open it")
        }
        guard cdwarf_has_debug_info(s) != 0 else {
            cdwarf_close(s)
            throw .noDebugInfo(path)
        }
        session = s
    }

    deinit { cdwarf_close(session) }

    public func symbolize(_ address: UInt64) -> SymbolizedAddress {
        var result = SymbolizedAddress(address: address)
        var loc = cdwarf_location()
        guard cdwarf_lookup(session, address, &loc) != 0 else { return result }
        // Strings belong to libdw's session, which outlives this call; copy them out.
        result.function = loc.function.map { String(cString: $0) }
        result.demangled = result.function.flatMap(Demangler.demangle)
        result.file = loc.file.map { String(cString: $0) }
        result.line = loc.line > 0 ? Int(loc.line) : nil
        return result
    }
}
