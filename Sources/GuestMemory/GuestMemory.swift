// GuestMemory.swift — guest RAM: one anonymous mmap'ed region at guest-physical 0. Every access is
// bounds-checked through a `GuestAddress`, because the guest controls every address it hands us
// (descriptors, boot pointers, debugger requests).
import Glibc
import Synchronization

/// A guest-physical address. Distinct from host pointers and from plain integers on purpose.
public struct GuestAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public static func < (a: GuestAddress, b: GuestAddress) -> Bool { a.value < b.value }
    /// `self + offset`, or nil on overflow.
    public func adding(_ offset: UInt64) -> GuestAddress? {
        let (sum, overflow) = value.addingReportingOverflow(offset)
        return overflow ? nil : GuestAddress(sum)
    }
    public var description: String { "0x" + String(value, radix: 16) }
}

public enum GuestMemoryError: Error, Equatable, CustomStringConvertible {
    /// `[address, address + length)` is not entirely inside guest RAM.
    case outOfBounds(address: UInt64, length: UInt64)
    case mmapFailed(size: UInt64, errno: Int32)
    case badSize(UInt64)
    /// A single-access load or store at an address that is not a multiple of the field's size.
    case misaligned(address: UInt64, alignment: UInt64)

    public var description: String {
        switch self {
        case .misaligned(let a, let n): return "guest access at 0x\(String(a, radix: 16)) is not \(n)-byte aligned"
        case .outOfBounds(let a, let l): return "guest access [0x\(String(a, radix: 16)), +\(l)) is outside guest RAM"
        case .mmapFailed(let s, let e): return "cannot reserve \(s) bytes of guest RAM: \(String(cString: strerror(e)))"
        case .badSize(let s): return "guest RAM size \(s) is not a positive multiple of 4096"
        }
    }
}

/// Guest RAM. Shared between the vCPU thread and device threads: plain bytes, no Swift-level state
/// changes after init, so it is `Sendable`; concurrent guest/device access to the same bytes is the
/// guest's business, as on real hardware.
public final class GuestMemory: @unchecked Sendable {
    /// All of guest RAM, in bytes (both regions).
    public let size: UInt64
    let base: UnsafeMutableRawPointer

    /// A stretch of guest-physical RAM and where it lies in the one host mapping.
    public struct Region: Equatable, Sendable {
        public let guestPhysical: UInt64
        public let size: UInt64
        public let hostOffset: UInt64
        public var end: UInt64 { guestPhysical + size }

        public init(guestPhysical: UInt64, size: UInt64, hostOffset: UInt64) {
            self.guestPhysical = guestPhysical
            self.size = size
            self.hostOffset = hostOffset
        }
    }

    /// Guest RAM as the guest sees it: from 0 up to the hole (the MMIO window below 4 GiB), and
    /// whatever does not fit there from 4 GiB up, as PCs lay out memory past 4 GiB (the e820 map
    /// Linux reads; here the boot info's regions).
    public let regions: [Region]

    /// Where RAM resumes above the hole.
    public static let highBase: UInt64 = 1 << 32

    /// Reserves `size` bytes of zeroed guest RAM (lazily backed: MAP_NORESERVE: untouched memory
    /// costs the host nothing). RAM beyond `holeStart` (at most 4 GiB) continues at 4 GiB.
    public init(size: UInt64, holeStart: UInt64 = GuestMemory.highBase) throws(GuestMemoryError) {
        guard size > 0, size % 4096 == 0, size <= UInt64(Int.max) - GuestMemory.highBase,
              holeStart % 4096 == 0, holeStart > 0, holeStart <= GuestMemory.highBase else { throw .badSize(size) }
        let p = mmap(nil, Int(size), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let p, p != MAP_FAILED else { throw .mmapFailed(size: size, errno: errno) }
        self.size = size
        self.base = p
        let low = min(size, holeStart)
        var regions = [Region(guestPhysical: 0, size: low, hostOffset: 0)]
        if size > low { regions.append(Region(guestPhysical: GuestMemory.highBase, size: size - low, hostOffset: low)) }
        self.regions = regions
    }

    deinit { munmap(base, Int(size)) }

    /// The host address KVM maps as guest RAM (for KVM_SET_USER_MEMORY_REGION only: region `r`
    /// starts at `hostBase + r.hostOffset`).
    public var hostBase: UnsafeMutableRawPointer { base }

    /// RAM below the hole: where the kernel, the boot structures and the initrd must go.
    public var lowSize: UInt64 { regions[0].size }

    /// Where `[address, address + length)` lies in the host mapping, if it is all RAM (a range
    /// never spans the hole).
    func hostOffset(_ address: GuestAddress, length: UInt64) -> UInt64? {
        for r in regions where address.value >= r.guestPhysical {
            let offset = address.value - r.guestPhysical
            if offset <= r.size && length <= r.size - offset { return r.hostOffset + offset }
        }
        return nil
    }

    /// Whether `[address, address + length)` lies inside guest RAM.
    public func contains(_ address: GuestAddress, length: UInt64) -> Bool {
        hostOffset(address, length: length) != nil
    }

    /// A host view of `[address, address + length)`, checked. The view is valid for the lifetime of
    /// `self`; it is the zero-copy path for device I/O.
    public func bytes(at address: GuestAddress, length: UInt64) throws(GuestMemoryError) -> UnsafeMutableRawBufferPointer {
        guard let offset = hostOffset(address, length: length) else { throw .outOfBounds(address: address.value, length: length) }
        // SAFETY: the range was checked against the regions of the mapping just above.
        return UnsafeMutableRawBufferPointer(start: base + Int(offset), count: Int(length))
    }

    public func read(at address: GuestAddress, into buffer: UnsafeMutableRawBufferPointer) throws(GuestMemoryError) {
        let source = try bytes(at: address, length: UInt64(buffer.count))
        if buffer.count > 0 { buffer.baseAddress!.copyMemory(from: source.baseAddress!, byteCount: buffer.count) }
    }

    public func write(at address: GuestAddress, from buffer: UnsafeRawBufferPointer) throws(GuestMemoryError) {
        let target = try bytes(at: address, length: UInt64(buffer.count))
        if buffer.count > 0 { target.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: buffer.count) }
    }

    public func read(at address: GuestAddress, count: Int) throws(GuestMemoryError) -> [UInt8] {
        let source = try bytes(at: address, length: UInt64(count))
        return Array(source)
    }

    public func write(at address: GuestAddress, bytes: [UInt8]) throws(GuestMemoryError) {
        let target = try self.bytes(at: address, length: UInt64(bytes.count))
        target.copyBytes(from: bytes)
    }

    /// Little-endian load of an integer (unaligned accesses allowed, as on x86). The bytes may be
    /// copied one at a time: never use it on a field another thread may be writing (use `loadOnce`).
    public func load<T: FixedWidthInteger>(_ type: T.Type = T.self, at address: GuestAddress) throws(GuestMemoryError) -> T {
        let b = try bytes(at: address, length: UInt64(MemoryLayout<T>.size))
        return T(littleEndian: b.loadUnaligned(as: T.self))
    }

    /// Little-endian store of an integer.
    public func store<T: FixedWidthInteger>(_ value: T, at address: GuestAddress) throws(GuestMemoryError) {
        let b = try bytes(at: address, length: UInt64(MemoryLayout<T>.size))
        b.storeBytes(of: value.littleEndian, as: T.self)
    }

    // MARK: - Single-access ring fields

    /// Loads a naturally aligned 16-, 32- or 64-bit field with exactly one access (READ_ONCE), for
    /// memory another thread writes concurrently: virtqueue indices, used_event / avail_event, used
    /// elements (virtio 1.2 §2.7.13, §2.7.8). `load` may copy byte by byte and so can see the two
    /// halves of an index from different writes (a torn read: 0x00ff → 0x0100 read as 0x01ff).
    /// `acquiring` orders later loads after this one (smp_load_acquire: an idx before the entries
    /// it publishes). On x86-64 either is one plain `mov`.
    public func loadOnce<T: RingField>(_ type: T.Type = T.self, at address: GuestAddress, acquiring: Bool = false)
        throws(GuestMemoryError) -> T {
        let p = try aligned(T.self, at: address)
        // SAFETY: `p` lies inside guest RAM and is aligned to T (checked by `aligned`).
        return T(littleEndian: T.atomicLoad(at: p, acquiring: acquiring))
    }

    /// Stores a naturally aligned 16-, 32- or 64-bit field with exactly one access (WRITE_ONCE).
    /// `releasing` makes every earlier store visible before this one (smp_store_release: ring
    /// entries before the idx that publishes them, virtio 1.2 §2.7.13 step 3, §2.7.8.2).
    public func storeOnce<T: RingField>(_ value: T, at address: GuestAddress, releasing: Bool = false)
        throws(GuestMemoryError) {
        let p = try aligned(T.self, at: address)
        // SAFETY: as in `loadOnce`.
        T.atomicStore(value.littleEndian, at: p, releasing: releasing)
    }

    private func aligned<T>(_: T.Type, at address: GuestAddress) throws(GuestMemoryError) -> UnsafeMutableRawPointer {
        let n = UInt64(MemoryLayout<T>.size)
        // Only naturally aligned fields are single-copy atomic (an access that crosses a cache line
        // is not); every ring field the spec defines is aligned (§2.7.1 alignment table).
        guard address.value % n == 0 else { throw .misaligned(address: address.value, alignment: n) }
        return try bytes(at: address, length: n).baseAddress!
    }

    /// Fills `[address, address + length)` with `byte`.
    public func fill(at address: GuestAddress, length: UInt64, with byte: UInt8) throws(GuestMemoryError) {
        let b = try bytes(at: address, length: length)
        if length > 0 { b.baseAddress!.initializeMemory(as: UInt8.self, repeating: byte, count: Int(length)) }
    }
}

/// The integer types of ring fields that another thread may change (virtio 1.2 §2.7: le16 indices and
/// event fields, le32 used elements, le64 descriptor addresses), with one atomic access each.
/// The atomic view of a field is `Atomic<Self>` placed over it: it has `Self`'s size and alignment.
/// One conformance per width, alike: `Atomic`'s load and store exist only for concrete types, a
/// generic default over `Atomic<Self>` does not compile.
public protocol RingField: FixedWidthInteger {
    /// One atomic load at `p`, which must be inside guest RAM and aligned to `Self`.
    static func atomicLoad(at p: UnsafeMutableRawPointer, acquiring: Bool) -> Self
    /// One atomic store at `p`, which must be inside guest RAM and aligned to `Self`.
    static func atomicStore(_ value: Self, at p: UnsafeMutableRawPointer, releasing: Bool)
}

extension UInt16: RingField {
    public static func atomicLoad(at p: UnsafeMutableRawPointer, acquiring: Bool) -> UInt16 {
        // SAFETY: the caller checked bounds and alignment (GuestMemory.aligned). `Atomic`'s
        // orderings must be literals, hence the branch.
        let field = p.assumingMemoryBound(to: Atomic<UInt16>.self)
        return acquiring ? field.pointee.load(ordering: .acquiring) : field.pointee.load(ordering: .relaxed)
    }
    public static func atomicStore(_ value: UInt16, at p: UnsafeMutableRawPointer, releasing: Bool) {
        // SAFETY: as in `atomicLoad`.
        let field = p.assumingMemoryBound(to: Atomic<UInt16>.self)
        if releasing { field.pointee.store(value, ordering: .releasing) } else { field.pointee.store(value, ordering: .relaxed) }
    }
}

extension UInt32: RingField {
    public static func atomicLoad(at p: UnsafeMutableRawPointer, acquiring: Bool) -> UInt32 {
        // SAFETY: the caller checked bounds and alignment (GuestMemory.aligned). `Atomic`'s
        // orderings must be literals, hence the branch.
        let field = p.assumingMemoryBound(to: Atomic<UInt32>.self)
        return acquiring ? field.pointee.load(ordering: .acquiring) : field.pointee.load(ordering: .relaxed)
    }
    public static func atomicStore(_ value: UInt32, at p: UnsafeMutableRawPointer, releasing: Bool) {
        // SAFETY: as in `atomicLoad`.
        let field = p.assumingMemoryBound(to: Atomic<UInt32>.self)
        if releasing { field.pointee.store(value, ordering: .releasing) } else { field.pointee.store(value, ordering: .relaxed) }
    }
}

extension UInt64: RingField {
    public static func atomicLoad(at p: UnsafeMutableRawPointer, acquiring: Bool) -> UInt64 {
        // SAFETY: the caller checked bounds and alignment (GuestMemory.aligned). `Atomic`'s
        // orderings must be literals, hence the branch.
        let field = p.assumingMemoryBound(to: Atomic<UInt64>.self)
        return acquiring ? field.pointee.load(ordering: .acquiring) : field.pointee.load(ordering: .relaxed)
    }
    public static func atomicStore(_ value: UInt64, at p: UnsafeMutableRawPointer, releasing: Bool) {
        // SAFETY: as in `atomicLoad`.
        let field = p.assumingMemoryBound(to: Atomic<UInt64>.self)
        if releasing { field.pointee.store(value, ordering: .releasing) } else { field.pointee.store(value, ordering: .relaxed) }
    }
}
