// ELFFileTests.swift — the ELF parser accepts well-formed x86-64 executables and rejects each kind
// of malformed file with the precise error (table-driven: one mutation per row).
import ELF
import TestSupport
import Testing

let base: UInt64 = 0x4000_0010_0000
let code: [UInt8] = [0xb8, 0x2a, 0, 0, 0, 0xe7, 0xf4, 0xf4]

func validBuilder() -> ELFBuilder {
    ELFBuilder(entry: base, segments: [.init(virtualAddress: base, physicalAddress: 0x10_0000, bytes: code)])
}

func parse(_ bytes: [UInt8]) -> Result<ELFFile, ELFError> {
    bytes.withUnsafeBytes { b in Result { () throws(ELFError) in try ELFFile(bytes: b) } }
}

@Test func parsesAValidExecutable() throws {
    let elf = try parse(validBuilder().build()).get()
    #expect(elf.entry == base)
    #expect(elf.segments.count == 1)
    #expect(elf.segments[0].physicalAddress == 0x10_0000)
    #expect(elf.segments[0].fileSize == UInt64(code.count))
    #expect(elf.segments[0].isExecutable)
    #expect(!elf.segments[0].isWritable)
    #expect(elf.pvhEntry == nil)
}

/// One way to break a valid file: through the builder's fields, or on the finished bytes.
struct Malformation: CustomStringConvertible, Sendable {
    let description: String
    var fields: @Sendable (inout ELFBuilder) -> Void = { _ in }
    var bytes: @Sendable (inout [UInt8]) -> Void = { _ in }
    let expected: ELFError

    init(description: String, mutate: @escaping @Sendable (inout ELFBuilder) -> Void, expected: ELFError) {
        self.description = description; self.fields = mutate; self.expected = expected
    }
    init(description: String, raw: @escaping @Sendable (inout [UInt8]) -> Void, expected: ELFError) {
        self.description = description; self.bytes = raw; self.expected = expected
    }
}

let malformations: [Malformation] = [
    .init(description: "truncated header", raw: { $0 = Array($0[0..<40]) }, expected: .truncated(size: 40)),
    .init(description: "bad magic", raw: { $0[1] = 0x46 }, expected: .badMagic),
    .init(description: "32-bit class", mutate: { b in b.elfClass = 1 }, expected: .notELF64(class: 1)),
    .init(description: "big endian", mutate: { b in b.dataEncoding = 2 }, expected: .notLittleEndian),
    .init(description: "bad version", mutate: { b in b.version = 2 }, expected: .badVersion(2)),
    .init(description: "relocatable object", mutate: { b in b.type = 1 }, expected: .notExecutable(type: 1)),
    .init(description: "wrong machine (i386)", mutate: { b in b.machine = 3 }, expected: .wrongMachine(3)),
    .init(description: "program header size", mutate: { b in b.programHeaderEntrySize = 32 }, expected: .badProgramHeaderSize(32)),
    .init(description: "program headers past the end", mutate: { b in b.programHeaderOffsetOverride = 1 << 40 },
          expected: .programHeadersOutOfFile(offset: 1 << 40, count: 1)),
    .init(description: "65535 program headers", mutate: { b in b.programHeaderCountOverride = 0xffff },
          expected: .programHeadersOutOfFile(offset: 64, count: 0xffff)),
    .init(description: "no program headers", mutate: { b in b.programHeaderCountOverride = 0 }, expected: .noLoadableSegments),
    .init(description: "segment bytes past the end", mutate: { b in b.segments[0].fileOffsetOverride = 1 << 20 },
          expected: .segmentOutOfFile(index: 0)),
    .init(description: "segment size overflows", mutate: { b in b.segments[0].fileSizeOverride = UInt64.max },
          expected: .segmentOutOfFile(index: 0)),
    .init(description: "p_filesz > p_memsz", mutate: { b in b.segments[0].memorySize = 2 },
          expected: .fileSizeExceedsMemorySize(index: 0)),
    .init(description: "address range wraps", mutate: { b in
              b.segments[0].virtualAddress = UInt64.max - 0xfff; b.segments[0].memorySize = 0x2000; b.entry = UInt64.max - 0xfff },
          expected: .segmentWrapsAround(index: 0)),
    .init(description: "misaligned segment", mutate: { b in b.segments[0].fileOffsetOverride = 0xfff },
          expected: .misalignedSegment(index: 0)),
    .init(description: "overlapping segments", mutate: { b in
              b.segments.append(.init(virtualAddress: base + 4, physicalAddress: 0x20_0000, bytes: [1, 2, 3, 4], flags: 6)) },
          expected: .overlappingSegments(first: 0, second: 1)),
    .init(description: "overlapping physical placement", mutate: { b in
              b.segments.append(.init(virtualAddress: base + 0x10_0000, physicalAddress: 0x10_0004, bytes: [1, 2, 3, 4], flags: 6)) },
          expected: .overlappingSegments(first: 0, second: 1)),
    .init(description: "no PT_LOAD", mutate: { b in b.segments[0].type = 6 }, expected: .noLoadableSegments),
    .init(description: "entry outside every segment", mutate: { b in b.entry = base + 0x10_0000 },
          expected: .entryOutsideExecutableSegment(entry: base + 0x10_0000)),
    .init(description: "entry in a non-executable segment", mutate: { b in b.segments[0].flags = 6 },
          expected: .entryOutsideExecutableSegment(entry: base)),
]

@Test(arguments: malformations)
func rejectsMalformedFiles(_ m: Malformation) {
    var builder = validBuilder()
    m.fields(&builder)
    var bytes = builder.build()
    m.bytes(&bytes)
    switch parse(bytes) {
    case .success: Issue.record("\(m.description): accepted")
    case .failure(let e): #expect(e == m.expected, "\(m.description)")
    }
}

@Test func everyPrefixOfAValidFileIsRejectedOrParsedWithoutCrashing() {
    let full = validBuilder().build()
    for length in 0..<full.count {
        // Truncation anywhere must give an error, never read out of bounds (ASan-free check: the
        // parser only reads through bounds-checked offsets).
        if case .success = parse(Array(full[0..<length])) { Issue.record("prefix of \(length) bytes accepted") }
    }
}

@Test func placementIsCheckedAgainstMemory() throws {
    let elf = try parse(validBuilder().build()).get()
    #expect(throws: ELFError.segmentOutsideMemory(index: 0, start: 0x10_0000, end: 0x10_0008, limit: 0x10_0004)) {
        try elf.checkPlacement(lower: 0x10_0000, upper: 0x10_0004, physical: true)
    }
    try elf.checkPlacement(lower: 0x10_0000, upper: 0x20_0000, physical: true)
    #expect(throws: ELFError.self) { try elf.checkPlacement(lower: 0x1000, upper: 0x4000_0000_0000, physical: false) }
}

@Test func findsThePVHEntryNote() throws {
    // Xen note: namesz 4 "Xen\0", descsz 4, type 18 (XEN_ELFNOTE_PHYS32_ENTRY), value 0x100040.
    let note: [UInt8] = [4, 0, 0, 0, 4, 0, 0, 0, 18, 0, 0, 0, 0x58, 0x65, 0x6e, 0, 0x40, 0, 0x10, 0]
    var builder = validBuilder()
    var noteSegment = ELFBuilder.Segment(virtualAddress: 0x20_0000, physicalAddress: 0x20_0000, bytes: note, flags: 4)
    noteSegment.type = 4
    noteSegment.align = 4
    builder.segments.append(noteSegment)
    let elf = try parse(builder.build()).get()
    #expect(elf.pvhEntry == 0x10_0040)
    #expect(elf.segments.count == 1)
}
