// Addresses.swift — physical and virtual addresses as distinct types, and the window through
// which the kernel reaches physical memory (the direct map; a plain buffer in host tests).

public struct PhysicalAddress: Equatable, Comparable, Hashable, Sendable {
    public var value: UInt64
    @inline(__always) public init(_ value: UInt64) { self.value = value }
    public static func < (a: Self, b: Self) -> Bool { a.value < b.value }
    public var isPageAligned: Bool { value & 0xfff == 0 }
}

public struct VirtualAddress: Equatable, Comparable, Hashable, Sendable {
    public var value: UInt64
    @inline(__always) public init(_ value: UInt64) { self.value = value }
    public static func < (a: Self, b: Self) -> Bool { a.value < b.value }
    public var isPageAligned: Bool { value & 0xfff == 0 }
    public var pageBase: VirtualAddress { VirtualAddress(value & ~0xfff) }
    public var pageOffset: UInt64 { value & 0xfff }
}

public let pageSize: UInt64 = 4096

/// Physical memory `[0, size)` seen at `base`: the kernel's direct map, or a host buffer in tests.
/// `hole`, if any, is not RAM (the MMIO window below 4 GiB, in guests with RAM past it).
public struct PhysicalMemoryWindow {
    public let base: UnsafeMutableRawPointer
    public let size: UInt64
    public let hole: Range<UInt64>?

    public init(base: UnsafeMutableRawPointer, size: UInt64, hole: Range<UInt64>? = nil) {
        self.base = base
        self.size = size
        self.hole = hole
    }

    /// The kernel pointer to physical `address`. Callers pass addresses they own (frames from the
    /// allocator, or addresses checked against RAM); an address outside the window is a kernel bug.
    @inline(__always)
    public func pointer(_ address: PhysicalAddress) -> UnsafeMutableRawPointer {
        precondition(address.value < size, "physical address outside the direct map")
        return base + Int(address.value)
    }

    /// Whether `[address, address + length)` is RAM: inside the window and clear of the hole.
    public func contains(_ address: PhysicalAddress, length: UInt64) -> Bool {
        guard address.value <= size && length <= size - address.value else { return false }
        guard let hole else { return true }
        return address.value + length <= hole.lowerBound || address.value >= hole.upperBound
    }

    /// The page-table entry array of the table at `frame`.
    @inline(__always)
    func table(_ frame: PhysicalAddress) -> UnsafeMutablePointer<UInt64> {
        pointer(frame).assumingMemoryBound(to: UInt64.self)
    }

    public func zeroPage(_ frame: PhysicalAddress) {
        pointer(frame).initializeMemory(as: UInt8.self, repeating: 0, count: Int(pageSize))
    }
}
