// BlockConfig.swift — the block device's numbers (virtio 1.2 §5.2): feature bits (§5.2.3), request
// types and status codes (§5.2.6; the spec's numbers are VirtioSpec's, shared with the guest's
// driver), what swiftvm announces, and the configuration space `struct virtio_blk_config` (§5.2.4).

public enum BlockConfig {
    public static let requestQueue = 0
    public static let defaultQueueSize: UInt16 = 256
    public static let sectorSize = VirtioBlock.sectorSize

    // Feature bits (§5.2.3).
    public static let featureSizeMax = VirtioBlock.featureSizeMax
    public static let featureSegMax = VirtioBlock.featureSegMax
    public static let featureReadOnly = VirtioBlock.featureReadOnly
    public static let featureBlockSize = VirtioBlock.featureBlockSize
    public static let featureFlush = VirtioBlock.featureFlush
    public static let featureDiscard = VirtioBlock.featureDiscard
    public static let featureWriteZeroes = VirtioBlock.featureWriteZeroes

    // Request types (§5.2.6).
    public static let typeIn = VirtioBlock.typeIn
    public static let typeOut = VirtioBlock.typeOut
    public static let typeFlush = VirtioBlock.typeFlush
    public static let typeGetID = VirtioBlock.typeGetID
    public static let typeGetLifetime = VirtioBlock.typeGetLifetime
    public static let typeDiscard = VirtioBlock.typeDiscard
    public static let typeWriteZeroes = VirtioBlock.typeWriteZeroes
    public static let typeSecureErase = VirtioBlock.typeSecureErase

    /// `struct virtio_blk_req` header: le32 type, le32 reserved, le64 sector.
    public static let headerSize = VirtioBlock.headerSize
    /// `struct virtio_blk_discard_write_zeroes`: le64 sector, le32 num_sectors, le32 flags.
    public static let discardSegmentSize = 16
    /// The `unmap` flag of a discard/write-zeroes segment.
    public static let segmentFlagUnmap: UInt32 = 1
    /// VIRTIO_BLK_T_GET_ID answers a NUL-padded string of up to 20 bytes.
    public static let idLength = VirtioBlock.idLength

    /// What swiftvm announces. `size_max` is advisory (segments of any size are served);
    /// `seg_max` is enforced when negotiated; the discard/write-zeroes limits are enforced.
    public static let sizeMax: UInt32 = 1 << 20
    public static let maxDiscardSectors: UInt32 = 1 << 22          // 2 GiB per segment
    public static let maxDiscardSegments: UInt32 = 16
    public static let discardSectorAlignment: UInt32 = 8          // 4 KiB: hole-punch granularity
    public static let maxWriteZeroesSectors: UInt32 = 1 << 16     // 32 MiB per segment
    public static let maxWriteZeroesSegments: UInt32 = 16

    /// Size of the configuration space served (through `write_zeroes_may_unmap` and its padding;
    /// the secure-erase fields that follow belong to a feature swiftvm does not offer).
    public static let configSize = 60

    /// `struct virtio_blk_config`, little-endian (§5.2.4).
    static func bytes(capacity: UInt64, segMax: UInt32) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: configSize)
        func put<T: FixedWidthInteger>(_ v: T, _ offset: Int) {
            for i in 0 ..< MemoryLayout<T>.size { b[offset + i] = UInt8(truncatingIfNeeded: v >> (8 * i)) }
        }
        put(capacity, 0)                    // capacity (512-byte sectors)
        put(sizeMax, 8)                     // size_max
        put(segMax, 12)                     // seg_max
        // 16: geometry (not offered) — 0
        put(UInt32(sectorSize), 20)         // blk_size
        // 24: topology (not offered) — 0; 32: writeback 0, unused0 0 (§5.2.5.2: padding is 0)
        put(UInt16(1), 34)                  // num_queues (meaningful only with MQ)
        put(maxDiscardSectors, 36)          // max_discard_sectors
        put(maxDiscardSegments, 40)         // max_discard_seg
        put(discardSectorAlignment, 44)     // discard_sector_alignment
        put(maxWriteZeroesSectors, 48)      // max_write_zeroes_sectors
        put(maxWriteZeroesSegments, 52)     // max_write_zeroes_seg
        b[56] = 1                           // write_zeroes_may_unmap; 57..59 unused1 = 0
        return b
    }
}

