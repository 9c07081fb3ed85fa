// UserMemory.swift — copying between the kernel and a user address space. The kernel never
// dereferences a user pointer: it walks the user page tables, checks the page is present,
// user-accessible (and writable, for copies into user memory) and reaches the frame through the
// direct map. A bad pointer is an EFAULT, never a kernel fault.

public enum UserMemoryError: Error, Equatable {
    /// The range leaves user space, wraps, or touches a page that is unmapped or lacks the permission.
    case fault(address: UInt64)
}

public struct UserMemory {
    public let space: AddressSpace
    public let memory: PhysicalMemoryWindow
    /// First address that is not user space (sv_machine.h SV_USER_END).
    public let userEnd: UInt64

    public init(space: AddressSpace, memory: PhysicalMemoryWindow, userEnd: UInt64) {
        self.space = space
        self.memory = memory
        self.userEnd = userEnd
    }

    /// Checks that `[address, address + length)` is inside user space without wrapping.
    public func checkRange(_ address: UInt64, _ length: UInt64) throws(UserMemoryError) {
        guard address < userEnd, length <= userEnd - address else { throw .fault(address: address) }
    }

    /// Calls `body` with kernel pointers to each piece of `[address, address + length)`, split at
    /// page boundaries, after checking every page's permissions.
    func forEachPiece(_ address: UInt64, _ length: UInt64, write: Bool,
                      _ body: (UnsafeMutableRawPointer, Int, Int) -> Void) throws(UserMemoryError) {
        try checkRange(address, length)
        var done: UInt64 = 0
        while done < length {
            let va = VirtualAddress(address + done)
            guard let (frame, flags) = space.lookup(va.pageBase, memory: memory),
                  flags.contains(.user), !write || flags.contains(.writable),
                  memory.contains(frame, length: pageSize) else {
                throw .fault(address: va.value)
            }
            let chunk = min(pageSize - va.pageOffset, length - done)
            body(memory.pointer(frame) + Int(va.pageOffset), Int(chunk), Int(done))
            done += chunk
        }
    }

    /// Copies `length` user bytes at `address` into `destination`.
    public func copyIn(from address: UInt64, length: Int, into destination: UnsafeMutableRawPointer) throws(UserMemoryError) {
        try forEachPiece(address, UInt64(length), write: false) { source, count, offset in
            (destination + offset).copyMemory(from: source, byteCount: count)
        }
    }

    /// Copies `length` bytes from `source` to user memory at `address` (pages must be writable).
    public func copyOut(to address: UInt64, from source: UnsafeRawPointer, length: Int) throws(UserMemoryError) {
        try forEachPiece(address, UInt64(length), write: true) { target, count, offset in
            target.copyMemory(from: source + offset, byteCount: count)
        }
    }

    /// Copies `length` bytes at `address` in this space to `target` in `destination`'s space, page
    /// piece by page piece through the direct map (IPC leases: no bounce buffer). Both ranges are
    /// checked page by page; on a fault some pieces may have been copied.
    public func copy(from address: UInt64, to destination: UserMemory, at target: UInt64, length: Int) throws(UserMemoryError) {
        try destination.checkRange(target, UInt64(length))
        var failure: UserMemoryError? = nil
        try forEachPiece(address, UInt64(length), write: false) { piece, count, offset in
            guard failure == nil else { return }
            do throws(UserMemoryError) {
                try destination.copyOut(to: target + UInt64(offset), from: piece, length: count)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Reads user bytes as an array (for small arguments such as names).
    public func bytes(at address: UInt64, count: Int) throws(UserMemoryError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var failure: UserMemoryError? = nil
        out.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            do throws(UserMemoryError) { try copyIn(from: address, length: count, into: base) } catch { failure = error }
        }
        if let failure { throw failure }
        return out
    }

    public func storeUInt64(_ value: UInt64, at address: UInt64) throws(UserMemoryError) {
        var v = value.littleEndian
        // SAFETY: `v` is a local of exactly 8 bytes, alive for the call.
        try copyOut(to: address, from: &v, length: 8)
    }

    /// Stores `bytes` at `address` (the safe form of copyOut for the system calls).
    public func store(_ bytes: [UInt8], at address: UInt64) throws(UserMemoryError) {
        guard !bytes.isEmpty else { return }
        var failure: UserMemoryError? = nil
        // SAFETY: the buffer is the array's own storage, non-empty and alive for the closure.
        bytes.withUnsafeBytes { b in
            do throws(UserMemoryError) { try copyOut(to: address, from: b.baseAddress!, length: b.count) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Stores a plain C value (a struct from the ABI headers) at `address`.
    public func store<T: BitwiseCopyable>(value: T, at address: UInt64) throws(UserMemoryError) {
        var v = value
        // SAFETY: `v` is a local of MemoryLayout<T>.size bytes, alive for the call.
        try copyOut(to: address, from: &v, length: MemoryLayout<T>.size)
    }

    /// Loads a plain C value (a struct from the ABI headers) from `address`.
    public func load<T: BitwiseCopyable>(_ type: T.Type, from address: UInt64, initial: T) throws(UserMemoryError) -> T {
        var v = initial
        // SAFETY: `v` is a local of MemoryLayout<T>.size bytes, alive for the call; any bit
        // pattern is a valid value of a C struct of integers.
        try copyIn(from: address, length: MemoryLayout<T>.size, into: &v)
        return v
    }
}
