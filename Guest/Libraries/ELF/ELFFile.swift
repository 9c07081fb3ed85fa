// ELFFile.swift — an ELF64 x86-64 executable parser over raw bytes (System V gABI §4, x86-64 psABI §4).
// Pure Swift, Embedded-compatible: the VMM loads the kernel with it and the kernel loads user programs
// with it. It parses and validates; it never touches the bytes of segment contents.

/// One PT_LOAD segment, validated: its file bytes lie inside the file and its memory image does not
/// wrap around the address space.
public struct LoadSegment: Equatable, Sendable {
    public var fileOffset: UInt64
    public var fileSize: UInt64
    public var virtualAddress: UInt64
    public var physicalAddress: UInt64
    public var memorySize: UInt64
    public var flags: UInt32
    public var alignment: UInt64

    public var isExecutable: Bool { flags & ELFFile.pfX != 0 }
    public var isWritable: Bool { flags & ELFFile.pfW != 0 }
    public var isReadable: Bool { flags & ELFFile.pfR != 0 }
    /// One past the last virtual byte (no overflow: checked by the parser).
    public var virtualEnd: UInt64 { virtualAddress + memorySize }
    public var physicalEnd: UInt64 { physicalAddress + memorySize }
}

/// A parsed, validated ELF64 little-endian x86-64 executable (ET_EXEC or ET_DYN).
public struct ELFFile: Sendable {
    public static let pfX: UInt32 = 1, pfW: UInt32 = 2, pfR: UInt32 = 4
    static let ptLoad: UInt32 = 1
    static let ptNote: UInt32 = 4
    static let emX86_64: UInt16 = 62
    static let etExec: UInt16 = 2, etDyn: UInt16 = 3
    static let headerSize = 64
    static let programHeaderSize = 56

    public let entry: UInt64
    public let type: UInt16
    /// PT_LOAD segments in file order, validated (see `ELFError`).
    public let segments: [LoadSegment]
    /// The 32-bit physical entry point from a Xen PVH note (XEN_ELFNOTE_PHYS32_ENTRY), if present.
    public let pvhEntry: UInt32?

    /// Parses and validates `bytes` as an x86-64 executable.
    public init(bytes: UnsafeRawBufferPointer) throws(ELFError) {
        let reader = ByteReader(bytes: bytes)
        guard bytes.count >= ELFFile.headerSize else { throw .truncated(size: bytes.count) }
        // e_ident: gABI §4 "ELF Identification"
        guard reader.u8(0) == 0x7f, reader.u8(1) == 0x45, reader.u8(2) == 0x4c, reader.u8(3) == 0x46 else {
            throw .badMagic
        }
        guard reader.u8(4) == 2 else { throw .notELF64(class: reader.u8(4)) }
        guard reader.u8(5) == 1 else { throw .notLittleEndian }
        guard reader.u8(6) == 1 else { throw .badVersion(UInt32(reader.u8(6))) }
        let type = reader.u16(16)
        guard type == ELFFile.etExec || type == ELFFile.etDyn else { throw .notExecutable(type: type) }
        let machine = reader.u16(18)
        guard machine == ELFFile.emX86_64 else { throw .wrongMachine(machine) }
        let version = reader.u32(20)
        guard version == 1 else { throw .badVersion(version) }
        let entry = reader.u64(24)
        let phoff = reader.u64(32)
        let phentsize = reader.u16(54)
        let phnum = reader.u16(56)

        guard phnum > 0 else { throw .noLoadableSegments }
        guard Int(phentsize) == ELFFile.programHeaderSize else { throw .badProgramHeaderSize(phentsize) }
        let tableSize = UInt64(phnum) * UInt64(phentsize)
        guard phoff <= UInt64(bytes.count), tableSize <= UInt64(bytes.count) - phoff else {
            throw .programHeadersOutOfFile(offset: phoff, count: phnum)
        }

        var segments: [LoadSegment] = []
        var pvhEntry: UInt32? = nil
        for index in 0..<Int(phnum) {
            let base = Int(phoff) + index * ELFFile.programHeaderSize
            let pType = reader.u32(base)
            let offset = reader.u64(base + 8)
            let fileSize = reader.u64(base + 32)
            guard offset <= UInt64(bytes.count), fileSize <= UInt64(bytes.count) - offset else {
                throw .segmentOutOfFile(index: index)
            }
            if pType == ELFFile.ptNote {
                if let e = ELFFile.findPVHEntry(reader: reader, offset: Int(offset), size: Int(fileSize)) {
                    pvhEntry = e
                }
                continue
            }
            guard pType == ELFFile.ptLoad else { continue }
            let segment = LoadSegment(
                fileOffset: offset, fileSize: fileSize,
                virtualAddress: reader.u64(base + 16), physicalAddress: reader.u64(base + 24),
                memorySize: reader.u64(base + 40), flags: reader.u32(base + 4),
                alignment: reader.u64(base + 48))
            guard segment.memorySize >= segment.fileSize else {
                throw .fileSizeExceedsMemorySize(index: index)
            }
            guard segment.virtualAddress <= UInt64.max - segment.memorySize,
                  segment.physicalAddress <= UInt64.max - segment.memorySize else {
                throw .segmentWrapsAround(index: index)
            }
            if segment.alignment > 1 {
                // gABI: p_vaddr ≡ p_offset (mod p_align), p_align a power of two.
                guard segment.alignment & (segment.alignment - 1) == 0,
                      segment.virtualAddress % segment.alignment == segment.fileOffset % segment.alignment else {
                    throw .misalignedSegment(index: index)
                }
            }
            segments.append(segment)
        }
        guard !segments.isEmpty else { throw .noLoadableSegments }

        for i in 0..<segments.count {
            for j in (i + 1)..<segments.count {
                let a = segments[i], b = segments[j]
                if a.memorySize == 0 || b.memorySize == 0 { continue }
                if a.virtualAddress < b.virtualEnd && b.virtualAddress < a.virtualEnd {
                    throw .overlappingSegments(first: i, second: j)
                }
                if a.physicalAddress < b.physicalEnd && b.physicalAddress < a.physicalEnd {
                    throw .overlappingSegments(first: i, second: j)
                }
            }
        }
        guard segments.contains(where: { $0.isExecutable && entry >= $0.virtualAddress && entry < $0.virtualEnd }) else {
            throw .entryOutsideExecutableSegment(entry: entry)
        }
        self.entry = entry
        self.type = type
        self.segments = segments
        self.pvhEntry = pvhEntry
    }

    /// Checks that every segment's memory image lies in `[lower, upper)`, by virtual address
    /// (`physical == false`) or by physical address. The VMM checks physical placement against guest RAM;
    /// the kernel checks a user program's virtual placement against user space.
    public func checkPlacement(lower: UInt64, upper: UInt64, physical: Bool) throws(ELFError) {
        for (index, s) in segments.enumerated() {
            let start = physical ? s.physicalAddress : s.virtualAddress
            let end = physical ? s.physicalEnd : s.virtualEnd
            guard start >= lower, end <= upper else {
                throw .segmentOutsideMemory(index: index, start: start, end: end, limit: upper)
            }
        }
    }

    /// Xen PVH: a note named "Xen" of type 18 (XEN_ELFNOTE_PHYS32_ENTRY) holds the 32-bit entry.
    static func findPVHEntry(reader: ByteReader, offset: Int, size: Int) -> UInt32? {
        var at = offset
        let end = offset + size
        while at + 12 <= end {
            let nameSize = Int(reader.u32(at)), descSize = Int(reader.u32(at + 4)), type = reader.u32(at + 8)
            let nameStart = at + 12
            let descStart = nameStart + ((nameSize + 3) & ~3)
            let next = descStart + ((descSize + 3) & ~3)
            guard nameSize <= size, descSize <= size, next <= end, next > at else { return nil }
            if type == 18, nameSize == 4, descSize >= 4,
               reader.u8(nameStart) == 0x58, reader.u8(nameStart + 1) == 0x65, reader.u8(nameStart + 2) == 0x6e {
                return reader.u32(descStart)
            }
            at = next
        }
        return nil
    }
}

/// Little-endian reads at offsets the caller has already bounds-checked against `bytes.count`.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    func u8(_ at: Int) -> UInt8 { bytes[at] }
    func u16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
    func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
}
