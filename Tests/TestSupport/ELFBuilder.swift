// ELFBuilder.swift — writes small ELF64 x86-64 executables byte by byte, for tests: valid ones
// (tiny KVM guests) and deliberately malformed ones (parser tests). Fields are public so a test
// can break exactly one thing.

public struct ELFBuilder {
    public struct Segment {
        public var type: UInt32 = 1            // PT_LOAD
        public var flags: UInt32 = 5           // R | X
        public var virtualAddress: UInt64
        public var physicalAddress: UInt64
        public var bytes: [UInt8]
        public var memorySize: UInt64? = nil   // default: bytes.count
        public var align: UInt64 = 0x1000
        /// Overrides the file offset the builder would choose (to make broken files).
        public var fileOffsetOverride: UInt64? = nil
        /// Overrides p_filesz (to make broken files).
        public var fileSizeOverride: UInt64? = nil

        public init(virtualAddress: UInt64, physicalAddress: UInt64, bytes: [UInt8], flags: UInt32 = 5) {
            self.virtualAddress = virtualAddress
            self.physicalAddress = physicalAddress
            self.bytes = bytes
            self.flags = flags
        }
    }

    public var entry: UInt64
    public var segments: [Segment]
    public var elfClass: UInt8 = 2
    public var dataEncoding: UInt8 = 1
    public var type: UInt16 = 2
    public var machine: UInt16 = 62
    public var version: UInt32 = 1
    public var programHeaderEntrySize: UInt16 = 56
    public var programHeaderOffsetOverride: UInt64? = nil
    public var programHeaderCountOverride: UInt16? = nil

    public init(entry: UInt64, segments: [Segment]) {
        self.entry = entry
        self.segments = segments
    }

    public func build() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 64 + 56 * segments.count)
        // Segment data starts on a page boundary, offset congruent to the address (gABI).
        var offsets: [UInt64] = []
        for s in segments {
            var offset = UInt64(out.count)
            let want = s.virtualAddress % 0x1000
            while offset % 0x1000 != want { offset += 1 }
            while UInt64(out.count) < offset { out.append(0) }
            offsets.append(offset)
            out.append(contentsOf: s.bytes)
        }
        func put16(_ at: Int, _ v: UInt16) { out[at] = UInt8(v & 0xff); out[at + 1] = UInt8(v >> 8) }
        func put32(_ at: Int, _ v: UInt32) { for i in 0..<4 { out[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) } }
        func put64(_ at: Int, _ v: UInt64) { for i in 0..<8 { out[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) } }
        out[0] = 0x7f; out[1] = 0x45; out[2] = 0x4c; out[3] = 0x46
        out[4] = elfClass; out[5] = dataEncoding; out[6] = 1
        put16(16, type); put16(18, machine); put32(20, version)
        put64(24, entry); put64(32, programHeaderOffsetOverride ?? 64)
        put16(52, 64); put16(54, programHeaderEntrySize)
        put16(56, programHeaderCountOverride ?? UInt16(segments.count))
        for (i, s) in segments.enumerated() {
            let base = 64 + 56 * i
            put32(base, s.type); put32(base + 4, s.flags)
            put64(base + 8, s.fileOffsetOverride ?? offsets[i])
            put64(base + 16, s.virtualAddress); put64(base + 24, s.physicalAddress)
            put64(base + 32, s.fileSizeOverride ?? UInt64(s.bytes.count))
            put64(base + 40, s.memorySize ?? UInt64(s.bytes.count))
            put64(base + 48, s.align)
        }
        return out
    }

    /// A one-segment guest kernel for the swiftvm boot protocol: `code` at guest-physical 1 MiB,
    /// linked in the direct map (sv_machine.h).
    public static func tinyGuest(_ code: [UInt8]) -> [UInt8] {
        let directMap: UInt64 = 0x4000_0000_0000, load: UInt64 = 0x10_0000
        return ELFBuilder(entry: directMap + load,
                          segments: [Segment(virtualAddress: directMap + load, physicalAddress: load, bytes: code)]).build()
    }
}
