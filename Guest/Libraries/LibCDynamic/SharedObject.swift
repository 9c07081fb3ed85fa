// SharedObject.swift — an ELF64 x86-64 shared object (ET_DYN) parsed and checked for dlopen
// (System V gABI §4 "Object Files", §5 "Program Loading and Dynamic Linking"; x86-64 psABI §4.4).
// Pure Swift over bytes, Embedded-compatible, no system calls: the C library's dlopen
// (LibCPosix/DynamicLoading.swift) reads the file, asks for a `LoadLayout`, maps memory of its span,
// copies the segments in (`copySegments`), then reads the dynamic section from that image
// (`DynamicInfo`) and relocates it (`Relocator`). The host tests (Tests/DynamicLoadingTests) run
// the same code on objects built by swiftvm-cc and on hostile variants of them.
//
// Every number taken from the file is checked before it is used: offsets and sizes against the
// file's size, addresses against the image's span, with overflow-free arithmetic, so a hostile
// file yields a `LoadError` (which the caller turns into dlerror's message), never a crash.

/// Why an object cannot be loaded; `message` is the text dlerror shows after the file's name.
public enum LoadError: Error, Equatable {
    case truncated(size: Int)
    case badMagic
    case notELF64
    case notLittleEndian
    case badVersion
    case notSharedObject(type: UInt16)
    case wrongMachine(UInt16)
    case badProgramHeaderSize(UInt16)
    case programHeadersOutOfFile
    case segmentOutOfFile(index: Int)
    case segmentFileLargerThanMemory(index: Int)
    case segmentMisaligned(index: Int)
    case segmentsOutOfOrder(index: Int)
    case imageTooLarge
    case noLoadableSegments
    case threadLocalStorage
    case noDynamicSection
    case dynamicOutOfImage
    case missingTable(String)
    case tableOutOfImage(String)
    case badEntrySize(String)
    case neededLibrary(String)
    case badStringIndex
    case symbolIndexOutOfRange(index: UInt64)
    case relocationOutOfImage(offset: UInt64)
    case unsupportedRelocation(String)
    case undefinedSymbol(String)
    case badFunctionAddress(String)

    public var message: String {
        switch self {
        case .truncated(let size): return "file too short for an ELF header (\(size) bytes)"
        case .badMagic: return "not an ELF file (bad magic)"
        case .notELF64: return "not a 64-bit ELF file"
        case .notLittleEndian: return "not a little-endian ELF file"
        case .badVersion: return "unknown ELF version"
        case .notSharedObject(let type): return "not a shared object (e_type \(type), want ET_DYN)"
        case .wrongMachine(let machine): return "not an x86-64 object (e_machine \(machine))"
        case .badProgramHeaderSize(let size): return "bad program header size \(size)"
        case .programHeadersOutOfFile: return "program headers lie outside the file"
        case .segmentOutOfFile(let index): return "segment \(index) lies outside the file"
        case .segmentFileLargerThanMemory(let index): return "segment \(index): file size exceeds memory size"
        case .segmentMisaligned(let index): return "segment \(index): address and offset disagree modulo the page size"
        case .segmentsOutOfOrder(let index): return "segment \(index): PT_LOAD segments overlap or are not in address order"
        case .imageTooLarge: return "image too large"
        case .noLoadableSegments: return "no PT_LOAD segment"
        case .threadLocalStorage: return "thread-local storage (PT_TLS) is not supported"
        case .noDynamicSection: return "no PT_DYNAMIC segment"
        case .dynamicOutOfImage: return "dynamic section lies outside the image"
        case .missingTable(let name): return "no \(name) in the dynamic section"
        case .tableOutOfImage(let name): return "\(name) lies outside the image"
        case .badEntrySize(let name): return "bad \(name)"
        case .neededLibrary(let name): return "needs \(name): dependencies (DT_NEEDED) are not loaded"
        case .badStringIndex: return "string table index out of range"
        case .symbolIndexOutOfRange(let index): return "symbol index \(index) out of range"
        case .relocationOutOfImage(let offset): return "relocation at offset \(offset) lies outside the image"
        case .unsupportedRelocation(let name): return "unsupported relocation \(name)"
        case .undefinedSymbol(let name): return "undefined symbol: \(name)"
        case .badFunctionAddress(let name): return "\(name) points outside the object's code"
        }
    }
}

/// Little-endian reads at checked offsets of a byte buffer (every caller checks the range first;
/// the reads check again and return 0 past the end, so a missed check cannot read out of bounds).
struct Bytes {
    let base: UnsafeRawBufferPointer
    func has(_ offset: UInt64, _ count: UInt64) -> Bool {
        offset <= UInt64(base.count) && count <= UInt64(base.count) - offset
    }
    func u8(_ o: UInt64) -> UInt8 { has(o, 1) ? base[Int(o)] : 0 }
    func u16(_ o: UInt64) -> UInt16 { has(o, 2) ? UInt16(base[Int(o)]) | UInt16(base[Int(o) + 1]) << 8 : 0 }
    func u32(_ o: UInt64) -> UInt32 {
        guard has(o, 4) else { return 0 }
        var v: UInt32 = 0
        for i in (0..<4).reversed() { v = v << 8 | UInt32(base[Int(o) + i]) }
        return v
    }
    func u64(_ o: UInt64) -> UInt64 {
        guard has(o, 8) else { return 0 }
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = v << 8 | UInt64(base[Int(o) + i]) }
        return v
    }
}

public let pageSize: UInt64 = 4096

/// One PT_LOAD, checked: its file bytes lie in the file, its memory within the image's span.
public struct Segment: Equatable {
    public var fileOffset: UInt64
    public var fileSize: UInt64
    /// Offset from the load base (the object's p_vaddr: shared objects are linked at 0).
    public var address: UInt64
    public var memorySize: UInt64
    /// PF_X 1, PF_W 2, PF_R 4.
    public var flags: UInt32
    public var end: UInt64 { address + memorySize }
}

/// What to map: the PT_LOAD segments, the span they need from the base (page-rounded), the
/// base's alignment, and where the dynamic section is.
public struct LoadLayout: Equatable {
    public var segments: [Segment]
    public var span: UInt64
    public var alignment: UInt64
    public var dynamicAddress: UInt64
    public var dynamicSize: UInt64

    static let ptLoad: UInt32 = 1, ptDynamic: UInt32 = 2, ptTLS: UInt32 = 7
    /// Bigger images are refused before any memory is asked for (the guest has far less).
    public static let maximumSpan: UInt64 = 1 << 32

    /// Parses and checks the ELF header and program headers of `file` (gABI §4 "ELF Header",
    /// §5 "Program Header").
    public init(file: UnsafeRawBufferPointer) throws(LoadError) {
        let b = Bytes(base: file)
        guard file.count >= 64 else { throw .truncated(size: file.count) }
        guard b.u8(0) == 0x7f, b.u8(1) == 0x45, b.u8(2) == 0x4c, b.u8(3) == 0x46 else { throw .badMagic }
        guard b.u8(4) == 2 else { throw .notELF64 }          // ELFCLASS64
        guard b.u8(5) == 1 else { throw .notLittleEndian }    // ELFDATA2LSB
        guard b.u8(6) == 1, b.u32(20) == 1 else { throw .badVersion }
        let type = b.u16(16)
        guard type == 3 else { throw .notSharedObject(type: type) }          // ET_DYN
        let machine = b.u16(18)
        guard machine == 62 else { throw .wrongMachine(machine) }             // EM_X86_64
        let phoff = b.u64(32), phentsize = b.u16(54), phnum = UInt64(b.u16(56))
        guard phentsize == 56 else { throw .badProgramHeaderSize(phentsize) }
        guard b.has(phoff, phnum * 56) else { throw .programHeadersOutOfFile }

        var segments: [Segment] = []
        var dynamic: (UInt64, UInt64)? = nil
        var alignment = pageSize
        for index in 0..<Int(phnum) {
            let h = phoff + UInt64(index) * 56
            let type = b.u32(h), flags = b.u32(h + 4), offset = b.u64(h + 8), address = b.u64(h + 16)
            let fileSize = b.u64(h + 32), memorySize = b.u64(h + 40), align = b.u64(h + 48)
            switch type {
            case LoadLayout.ptLoad:
                guard b.has(offset, fileSize) else { throw .segmentOutOfFile(index: index) }
                guard fileSize <= memorySize else { throw .segmentFileLargerThanMemory(index: index) }
                guard memorySize <= LoadLayout.maximumSpan, address <= LoadLayout.maximumSpan - memorySize else {
                    throw .imageTooLarge
                }
                // gABI: p_vaddr ≡ p_offset (mod p_align); the copy below needs no more, but the
                // page protections do: two segments must not share a page with different flags,
                // which address order (checked next) and this congruence keep lld's output from.
                guard address % pageSize == offset % pageSize else { throw .segmentMisaligned(index: index) }
                if let last = segments.last {
                    guard address >= (last.end + pageSize - 1) & ~(pageSize - 1) || address >= last.end && flags == last.flags else {
                        throw .segmentsOutOfOrder(index: index)
                    }
                }
                if align > alignment, align.nonzeroBitCount == 1, align <= 1 << 21 { alignment = align }
                segments.append(Segment(fileOffset: offset, fileSize: fileSize, address: address,
                                        memorySize: memorySize, flags: flags))
            case LoadLayout.ptDynamic:
                dynamic = (address, memorySize)
            case LoadLayout.ptTLS:
                throw .threadLocalStorage
            default:
                break   // PT_PHDR, PT_NOTE, PT_GNU_STACK, PT_GNU_RELRO, PT_GNU_EH_FRAME: nothing to do
            }
        }
        guard let last = segments.last else { throw .noLoadableSegments }
        let span = (last.end + pageSize - 1) & ~(pageSize - 1)
        guard let (dynamicAddress, dynamicSize) = dynamic else { throw .noDynamicSection }
        guard dynamicAddress <= span, dynamicSize <= span - dynamicAddress, dynamicSize % 16 == 0 else {
            throw .dynamicOutOfImage
        }
        self.segments = segments
        self.span = span
        self.alignment = alignment
        self.dynamicAddress = dynamicAddress
        self.dynamicSize = dynamicSize
    }

    /// Copies each segment's file bytes into `image` (span bytes, zero-filled by the caller: the
    /// rest of each segment, its .bss, stays zero).
    public func copySegments(from file: UnsafeRawBufferPointer, into image: UnsafeMutableRawBufferPointer) {
        precondition(UInt64(image.count) >= span)
        for s in segments where s.fileSize > 0 {
            // Both ranges were checked: [fileOffset, +fileSize) in the file, [address, +memorySize) in span.
            let source = UnsafeRawBufferPointer(rebasing: file[Int(s.fileOffset)..<Int(s.fileOffset + s.fileSize)])
            UnsafeMutableRawBufferPointer(rebasing: image[Int(s.address)..<Int(s.address + s.fileSize)]).copyMemory(from: source)
        }
    }

    /// The protection (PROT_READ 1 | PROT_WRITE 2 | PROT_EXEC 4, mmap's bits) of each page range:
    /// a segment's pages get its flags (PF_R→READ, PF_W→WRITE, PF_X→EXEC); pages of no segment
    /// (between segments) stay inaccessible.
    public func protections() -> [(start: UInt64, end: UInt64, protection: Int32)] {
        var ranges: [(start: UInt64, end: UInt64, protection: Int32)] = []
        for s in segments where s.memorySize > 0 {
            var p: Int32 = 0
            if s.flags & 4 != 0 { p |= 1 }
            if s.flags & 2 != 0 { p |= 2 }
            if s.flags & 1 != 0 { p |= 4 }
            let start = s.address & ~(pageSize - 1), end = (s.end + pageSize - 1) & ~(pageSize - 1)
            if let last = ranges.last, start < last.end {
                // The same page as the previous segment (same flags, checked above): extend it.
                ranges[ranges.count - 1].end = max(last.end, end)
            } else {
                ranges.append((start, end, p))
            }
        }
        return ranges
    }
}
