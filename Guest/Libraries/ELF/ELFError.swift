// ELFError.swift — why an ELF file was rejected; each case names the failed check precisely.

public enum ELFError: Error, Equatable, Sendable {
    case truncated(size: Int)
    case badMagic
    case notELF64(class: UInt8)
    case notLittleEndian
    case badVersion(UInt32)
    case notExecutable(type: UInt16)
    case wrongMachine(UInt16)
    case badProgramHeaderSize(UInt16)
    case programHeadersOutOfFile(offset: UInt64, count: UInt16)
    case segmentOutOfFile(index: Int)
    case fileSizeExceedsMemorySize(index: Int)
    case segmentWrapsAround(index: Int)
    case misalignedSegment(index: Int)
    case overlappingSegments(first: Int, second: Int)
    case noLoadableSegments
    case entryOutsideExecutableSegment(entry: UInt64)
    case segmentOutsideMemory(index: Int, start: UInt64, end: UInt64, limit: UInt64)
}

extension ELFError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated(let size): return "file too small for an ELF header (\(size) bytes)"
        case .badMagic: return "not an ELF file (bad magic)"
        case .notELF64(let c): return "not a 64-bit ELF (class \(c))"
        case .notLittleEndian: return "not a little-endian ELF"
        case .badVersion(let v): return "unsupported ELF version \(v)"
        case .notExecutable(let t): return "not an executable (e_type \(t))"
        case .wrongMachine(let m): return "wrong machine \(m) (expected x86-64, 62)"
        case .badProgramHeaderSize(let s): return "program header entry size \(s), expected 56"
        case .programHeadersOutOfFile(let o, let n): return "program header table (offset \(o), \(n) entries) lies outside the file"
        case .segmentOutOfFile(let i): return "segment \(i): file bytes lie outside the file"
        case .fileSizeExceedsMemorySize(let i): return "segment \(i): p_filesz exceeds p_memsz"
        case .segmentWrapsAround(let i): return "segment \(i): address range wraps around"
        case .misalignedSegment(let i): return "segment \(i): p_vaddr and p_offset disagree modulo p_align"
        case .overlappingSegments(let a, let b): return "segments \(a) and \(b) overlap"
        case .noLoadableSegments: return "no PT_LOAD segments"
        case .entryOutsideExecutableSegment(let e): return "entry point 0x\(String(e, radix: 16)) is not inside an executable segment"
        case .segmentOutsideMemory(let i, let s, let e, let l):
            return "segment \(i) [0x\(String(s, radix: 16)), 0x\(String(e, radix: 16))) does not fit below 0x\(String(l, radix: 16))"
        }
    }
}
