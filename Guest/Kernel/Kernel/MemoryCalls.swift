// MemoryCalls.swift — mmap, munmap, mprotect and brk (sv_syscall.h 37–40), and the stack growing
// on demand. KernelCore's MemoryMap decides which ranges change; this file changes the pages.
// Pages are filled (zeroed frames) when a range becomes accessible, not on first touch: a page
// fault costs tens of microseconds on PVM (shared/docs/HOST.md), a zeroed page far less.
import ABI
import Arch
import Platform
import KernelCore

enum MemoryCalls {
    /// Page flags for SV_PROT_* bits (read is implied by any access on x86-64).
    static func pageFlags(_ protection: UInt32) -> PageFlags {
        var flags: PageFlags = [.user]
        if protection & UInt32(SV_PROT_WRITE) != 0 { flags.insert(.writable) }
        if protection & UInt32(SV_PROT_EXEC) == 0 { flags.insert(.noExecute) }
        return flags
    }

    /// Frees the pages of [start, end) that are mapped.
    static func unmapPages(_ p: UserProcess, _ start: UInt64, _ end: UInt64) {
        var va = start
        while va < end {
            if let (frame, flags) = p.space.unmap(VirtualAddress(va), memory: Memory.window!), flags.contains(.owned) {
                Memory.frames!.free(frame)
            }
            va += pageSize
        }
    }

    /// Fills [start, end) with zeroed pages; all or nothing.
    static func fill(_ p: UserProcess, _ start: UInt64, _ end: UInt64, _ protection: UInt32) -> Bool {
        guard protection != UInt32(SV_PROT_NONE) else { return true }
        guard Memory.frames!.freeCount >= (end - start) / pageSize + 64 else { return false }
        do {
            try Programs.mapZeroed(from: start, to: end, flags: pageFlags(protection), into: p.space)
            return true
        } catch {
            unmapPages(p, start, end)
            return false
        }
    }

    /// mmap(addr, length, prot, flags): private anonymous memory (the C library maps files by
    /// reading them into such memory).
    static func mmap(_ p: UserProcess, address: UInt64, length: UInt64, protection: UInt64, flags: UInt64) -> UInt64 {
        let known = UInt64(SV_MAP_SHARED | SV_MAP_PRIVATE | SV_MAP_FIXED | SV_MAP_ANONYMOUS)
        guard flags & ~known == 0, protection & ~UInt64(7) == 0, let size = MemoryMap.pages(length) else { return Syscalls.errno(SV_EINVAL) }
        guard flags & UInt64(SV_MAP_ANONYMOUS) != 0 else { return Syscalls.errno(SV_ENODEV) }
        guard flags & UInt64(SV_MAP_PRIVATE) != 0, flags & UInt64(SV_MAP_SHARED) == 0 else { return Syscalls.errno(SV_EINVAL) }
        let prot = UInt32(protection)
        guard p.memoryMap.hasRoom(for: 3) else { return Syscalls.errno(SV_ENOMEM) }
        let start: UInt64
        if flags & UInt64(SV_MAP_FIXED) != 0 {
            guard MemoryMap.pageAligned(address), address <= UInt64.max - size, p.memoryMap.inArea(address, address + size) else {
                return Syscalls.errno(SV_EINVAL)
            }
            for piece in p.memoryMap.remove(address, address + size) { unmapPages(p, piece.start, piece.end) }
            start = address
        } else {
            guard let found = p.memoryMap.findFree(length: size, hint: address & ~(pageSize - 1)) else { return Syscalls.errno(SV_ENOMEM) }
            start = found
        }
        guard fill(p, start, start + size, prot) else { return Syscalls.errno(SV_ENOMEM) }
        p.memoryMap.insert(MappedRegion(start: start, end: start + size, protection: prot))
        return start
    }

    /// munmap(addr, length): the pages go; unmapping what is not mapped is not an error (POSIX).
    static func munmap(_ p: UserProcess, address: UInt64, length: UInt64) -> UInt64 {
        guard MemoryMap.pageAligned(address), let size = MemoryMap.pages(length), address <= UInt64.max - size,
              p.memoryMap.inArea(address, address + size) else { return Syscalls.errno(SV_EINVAL) }
        guard p.memoryMap.hasRoom(for: 1) else { return Syscalls.errno(SV_ENOMEM) }   // a cut in the middle splits one region in two
        for piece in p.memoryMap.remove(address, address + size) { unmapPages(p, piece.start, piece.end) }
        return 0
    }

    /// mprotect(addr, length, prot): ENOMEM unless every page is mapped. Pages made PROT_NONE are
    /// unmapped (x86-64 has no present-but-inaccessible user page, and PVM forbids U=0 pages);
    /// pages made accessible again come back zeroed.
    static func mprotect(_ p: UserProcess, address: UInt64, length: UInt64, protection: UInt64) -> UInt64 {
        guard MemoryMap.pageAligned(address), protection & ~UInt64(7) == 0, let size = MemoryMap.pages(length),
              address <= UInt64.max - size else { return Syscalls.errno(SV_EINVAL) }
        guard p.memoryMap.covers(address, address + size), p.memoryMap.hasRoom(for: 2) else { return Syscalls.errno(SV_ENOMEM) }
        let prot = UInt32(protection)
        for piece in p.memoryMap.protect(address, address + size, prot) {
            if prot == UInt32(SV_PROT_NONE) {
                unmapPages(p, piece.start, piece.end)
            } else if piece.protection == UInt32(SV_PROT_NONE) {
                if !fill(p, piece.start, piece.end, prot) {
                    _ = p.memoryMap.protect(piece.start, piece.end, UInt32(SV_PROT_NONE))
                    return Syscalls.errno(SV_ENOMEM)
                }
            } else {
                var va = piece.start
                while va < piece.end {
                    if let (frame, flags) = p.space.unmap(VirtualAddress(va), memory: Memory.window!) {
                        let keep = flags.intersection([.owned])
                        try? p.space.map(VirtualAddress(va), to: frame, flags: pageFlags(prot).union(keep),
                                         frames: &Memory.frames!, memory: Memory.window!)
                    }
                    va += pageSize
                }
            }
        }
        return 0
    }

    /// brk(addr): moves the break within [program end, + SV_USER_BRK_MAX); returns the break.
    static func brk(_ p: UserProcess, address: UInt64) -> UInt64 {
        guard address >= p.breakStart, address - p.breakStart <= UInt64(SV_USER_BRK_MAX) else { return p.breakEnd }
        let oldTop = Memory.roundUp(p.breakEnd, pageSize), newTop = Memory.roundUp(address, pageSize)
        if newTop > oldTop {
            guard fill(p, oldTop, newTop, UInt32(SV_PROT_READ | SV_PROT_WRITE)) else { return p.breakEnd }
        } else if newTop < oldTop {
            unmapPages(p, newTop, oldTop)
        }
        p.breakEnd = address
        return address
    }

    /// A page fault below the stack, within SV_USER_STACK_MAX of its top: map more stack (at
    /// least 64 KiB at a time: every fault costs a kernel entry) and retry the instruction.
    /// False if the fault is not a stack growth (or memory is out): the fault is the process's.
    static func growStack(_ t: UserThread, faultAddress: UInt64, error: UInt64) -> Bool {
        let p = t.process
        let limit = UInt64(SV_USER_STACK_TOP) - UInt64(SV_USER_STACK_MAX)
        guard error & 1 == 0, faultAddress >= limit, faultAddress < p.stackBottom else { return false }
        let wanted = faultAddress & ~(pageSize - 1)
        let newBottom = max(limit, min(wanted, p.stackBottom - (64 << 10)))   // stackBottom ≥ limit: no wrap
        guard fill(p, newBottom, p.stackBottom, UInt32(SV_PROT_READ | SV_PROT_WRITE)) else { return false }
        p.stackBottom = newBottom
        return true
    }
}
