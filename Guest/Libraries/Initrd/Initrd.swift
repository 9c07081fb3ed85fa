// Initrd.swift — the initial-ramdisk archive (layout in Guest/ABI/include/sv_initrd.h):
// a validating reader the kernel uses in place, and a writer the host tool uses.
// Pure Swift, Embedded-compatible.

import ABI

public enum InitrdError: Error, Equatable, Sendable {
    case truncated
    case badMagic
    case unsupportedVersion(UInt32)
    case sizeMismatch(header: UInt64, actual: Int)
    case entryOutOfBounds(index: Int)
    case badName(index: Int)
    case duplicateName(index: Int)
    case tooManyEntries(Int)
}

extension InitrdError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated: return "archive truncated"
        case .badMagic: return "not an initrd archive (bad magic)"
        case .unsupportedVersion(let v): return "unsupported initrd version \(v)"
        case .sizeMismatch(let h, let a): return "header says \(h) bytes, archive has \(a)"
        case .entryOutOfBounds(let i): return "entry \(i): data lies outside the archive"
        case .badName(let i): return "entry \(i): name is empty, too long, or contains '/' or NUL padding errors"
        case .duplicateName(let i): return "entry \(i): duplicate name"
        case .tooManyEntries(let n): return "\(n) entries do not fit the archive"
        }
    }
}

/// One file in the archive: its name and the byte range of its data inside the archive.
public struct InitrdEntry: Equatable, Sendable {
    public var name: [UInt8]
    public var offset: Int
    public var size: Int
}

public enum InitrdFormat {
    public static let headerSize = 32
    public static let entrySize = 64
    public static let nameField = 48
    public static let magic: UInt64 = SV_INITRD_MAGIC
    public static let version: UInt32 = UInt32(SV_INITRD_VERSION)

    /// Parses and validates an archive. Every entry's range is checked against the archive, names are
    /// checked for shape and uniqueness, so callers may slice the data without further checks.
    public static func entries(of bytes: UnsafeRawBufferPointer) throws(InitrdError) -> [InitrdEntry] {
        guard bytes.count >= headerSize else { throw .truncated }
        guard load64(bytes, 0) == magic else { throw .badMagic }
        let version = load32(bytes, 8)
        guard version == self.version else { throw .unsupportedVersion(version) }
        let count = Int(load32(bytes, 12))
        let total = load64(bytes, 16)
        guard total == UInt64(bytes.count) else { throw .sizeMismatch(header: total, actual: bytes.count) }
        guard count <= (bytes.count - headerSize) / entrySize else { throw .tooManyEntries(count) }
        var result: [InitrdEntry] = []
        for index in 0..<count {
            let base = headerSize + index * entrySize
            var name: [UInt8] = []
            var sawNul = false
            for i in 0..<nameField {
                let b = bytes[base + i]
                if b == 0 { sawNul = true; continue }
                // A non-NUL byte after NUL padding, or a '/', makes the name malformed.
                if sawNul || b == UInt8(ascii: "/") { throw .badName(index: index) }
                name.append(b)
            }
            guard !name.isEmpty, name.count <= Int(SV_INITRD_NAME_MAX) else { throw .badName(index: index) }
            let offset = load64(bytes, base + 48), size = load64(bytes, base + 56)
            guard offset <= UInt64(bytes.count), size <= UInt64(bytes.count) - offset,
                  offset >= UInt64(headerSize + count * entrySize) else {
                throw .entryOutOfBounds(index: index)
            }
            if result.contains(where: { $0.name == name }) { throw .duplicateName(index: index) }
            result.append(InitrdEntry(name: name, offset: Int(offset), size: Int(size)))
        }
        return result
    }

    /// Builds an archive from (name, contents) pairs. Names must be 1…47 bytes without '/' or NUL.
    public static func build(_ files: [(name: [UInt8], contents: [UInt8])]) throws(InitrdError) -> [UInt8] {
        for (index, f) in files.enumerated() {
            guard !f.name.isEmpty, f.name.count <= Int(SV_INITRD_NAME_MAX),
                  !f.name.contains(0), !f.name.contains(UInt8(ascii: "/")) else { throw .badName(index: index) }
            if files[..<index].contains(where: { $0.name == f.name }) { throw .duplicateName(index: index) }
        }
        var out = [UInt8](repeating: 0, count: headerSize + files.count * entrySize)
        var table: [(Int, Int)] = []
        for f in files {
            while out.count % 8 != 0 { out.append(0) }
            table.append((out.count, f.contents.count))
            out.append(contentsOf: f.contents)
        }
        store64(&out, 0, magic)
        store32(&out, 8, version)
        store32(&out, 12, UInt32(files.count))
        store64(&out, 16, UInt64(out.count))
        for (index, f) in files.enumerated() {
            let base = headerSize + index * entrySize
            for (i, b) in f.name.enumerated() { out[base + i] = b }
            store64(&out, base + 48, UInt64(table[index].0))
            store64(&out, base + 56, UInt64(table[index].1))
        }
        return out
    }

    static func load32(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }
    static func load64(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        UInt64(load32(b, at)) | UInt64(load32(b, at + 4)) << 32
    }
    static func store32(_ b: inout [UInt8], _ at: Int, _ v: UInt32) {
        for i in 0..<4 { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
    }
    static func store64(_ b: inout [UInt8], _ at: Int, _ v: UInt64) {
        for i in 0..<8 { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
    }
}
