// Memory.swift — physical memory at boot: which frames are free, the kernel heap, the kernel's
// address space (the direct map) and the entry-area chain every user address space shares.
import ABI
import Arch
import Platform
import RuntimeSupport
import KernelCore

enum Memory {
    // SAFETY (globals): set at boot or changed only by kernel code, which runs on one CPU with
    // interrupts off (HOST.md rule 3): accesses never overlap.
    nonisolated(unsafe) static var frames: FrameAllocator? = nil
    nonisolated(unsafe) static var window: PhysicalMemoryWindow? = nil
    nonisolated(unsafe) static var kernelSpace: AddressSpace? = nil
    /// The PML4 entry (slot SV_DIRECT_MAP_BASE >> 39) that maps only the entry area.
    nonisolated(unsafe) static var entryChainEntry: UInt64 = 0
    static let directMapSlot = Int((UInt64(SV_DIRECT_MAP_BASE) >> 39) & 511)
    static let userSlots = Int((UInt64(SV_USER_END) >> 39) & 511)

    static func physical(_ virtual: UInt64) -> PhysicalAddress {
        PhysicalAddress(virtual - UInt64(SV_DIRECT_MAP_BASE))
    }
    static func virtual(_ physical: UInt64) -> UInt64 { physical + UInt64(SV_DIRECT_MAP_BASE) }

    /// Sets up the frame allocator and the heap from the boot memory map. The kernel image and
    /// the initrd are never handed out. Runs before the heap exists, so it reads the raw boot info
    /// and allocates nothing.
    /// SAFETY: `info` is BootInfo.raw's checked pointer; region_count is clamped to the array.
    static func initialize(boot info: UnsafePointer<sv_boot_info>) {
        let regionCount = Int(min(info.pointee.region_count, UInt32(SV_BOOT_MAX_REGIONS)))
        func region(_ i: Int) -> sv_mem_region {
            withUnsafeBytes(of: info.pointee.regions) { $0.load(fromByteOffset: i * MemoryLayout<sv_mem_region>.stride, as: sv_mem_region.self) }
        }
        var ramEnd: UInt64 = 0, lowRAMEnd: UInt64 = 0
        for i in 0..<regionCount where region(i).type == UInt32(SV_MEM_RAM) {
            let end = region(i).base + region(i).size
            ramEnd = max(ramEnd, end)
            if end <= 1 << 32 { lowRAMEnd = max(lowRAMEnd, end) }
        }
        ramEnd &= ~(pageSize - 1)
        // SAFETY: the direct map covers guest-physical [0, max(4 GiB, end of RAM)) once
        // buildKernelSpace has run; until then the VMM's boot tables cover [0, 4 GiB), and this
        // function only writes the bitmap and heap, which lie right after the kernel (low RAM).
        // The window is bounded by the end of RAM.
        // With RAM past 4 GiB, what lies between the low RAM's end and 4 GiB is the MMIO hole.
        let hole: Range<UInt64>? = ramEnd > 1 << 32 ? lowRAMEnd..<(1 << 32) : nil
        let window = PhysicalMemoryWindow(base: UnsafeMutableRawPointer(bitPattern: UInt(SV_DIRECT_MAP_BASE))!, size: ramEnd, hole: hole)
        self.window = window

        // The bitmap and then the heap go right after the kernel image, or after the initrd if it
        // is in the way (the swiftvm VMM puts it right after the kernel; QEMU near the top of RAM).
        let initrdStart = info.pointee.initrd_addr & ~(pageSize - 1)
        let initrdEnd = roundUp(info.pointee.initrd_addr + info.pointee.initrd_size, pageSize)
        let frameCount = ramEnd / pageSize
        let bitmapBytes = UInt64(FrameAllocator.bitmapWords(frameCount) * 8)
        let heapSize = min(max(ramEnd / 16, 4 << 20), 32 << 20)
        let kernelEnd = roundUp(max(info.pointee.kernel_end, physical(sv_address_of_kernel_end()).value), pageSize)
        var firstFree = kernelEnd
        let needed = roundUp(bitmapBytes, pageSize) + heapSize
        if info.pointee.initrd_size > 0 && firstFree < initrdEnd && firstFree + needed > initrdStart {
            firstFree = initrdEnd
        }
        let bitmap = window.pointer(PhysicalAddress(firstFree)).assumingMemoryBound(to: UInt64.self)
        let heapStart = roundUp(firstFree + bitmapBytes, pageSize)
        guard heapStart + heapSize < ramEnd else {
            Console.write("[kernel] PANIC: not enough RAM for the kernel heap\n")
            Power.off(status: panicExitStatus)
        }
        kernelHeap = HeapAllocator(start: window.pointer(PhysicalAddress(heapStart)), size: Int(heapSize))

        // Free: RAM above the kernel, bitmap and heap, except the initrd.
        var allocator = FrameAllocator(bitmap: bitmap, firstFrame: 0, frameCount: frameCount)
        let reservedEnd = heapStart + heapSize
        for i in 0..<regionCount where region(i).type == UInt32(SV_MEM_RAM) {
            let r = region(i)
            // Below the kernel's end lie the boot structures and the image itself.
            var frame = max(roundUp(r.base, pageSize), kernelEnd)
            let end = min((r.base + r.size) & ~(pageSize - 1), ramEnd)
            while frame < end {
                let inBitmapOrHeap = frame >= firstFree && frame < reservedEnd
                let inInitrd = info.pointee.initrd_size > 0 && frame >= initrdStart && frame < initrdEnd
                if !inBitmapOrHeap && !inInitrd { allocator.free(PhysicalAddress(frame)) }
                frame += pageSize
            }
        }
        frames = allocator
    }

    /// The kernel address space: PML4 slot 128 maps guest-physical [0, 4 GiB) with 2 MiB pages
    /// (RAM, the virtio windows, IOAPIC, LAPIC) and, in guests with more RAM than fits below the
    /// MMIO hole, on to the end of RAM past 4 GiB (one PML4 slot: 512 GiB at most). U=1 on PVM,
    /// where the kernel itself runs at hardware CPL 3 and cannot touch U=0 pages (HOST.md rule 6).
    /// Nothing else is mapped: the kernel reaches user memory only through the direct map (UserMemory).
    static func buildKernelSpace() {
        let w = window!
        let userBit: UInt64 = Platform.isPVM ? PageFlags.user.rawValue : 0
        let pml4 = frames!.allocate()!, pdpt = frames!.allocate()!
        w.zeroPage(pml4)
        w.zeroPage(pdpt)
        let present = PageFlags.present.rawValue, writable = PageFlags.writable.rawValue
        let p4 = w.pointer(pml4).assumingMemoryBound(to: UInt64.self)
        p4[directMapSlot] = pdpt.value | present | writable | userBit
        let p3 = w.pointer(pdpt).assumingMemoryBound(to: UInt64.self)
        let gibibytes = Int(min(max(4, (w.size + (1 << 30) - 1) >> 30), 512))
        for g in 0..<gibibytes {
            // Written through the VMM's boot tables, which map only the low 4 GiB: the frame must
            // lie there (the allocator hands out low frames first at boot).
            guard let pd = frames!.allocate(), pd.value < 1 << 32 else { panic("no low frame for the direct map's tables") }
            let p2 = w.pointer(pd).assumingMemoryBound(to: UInt64.self)
            for i in 0..<512 {
                let physical = UInt64(g) << 30 | UInt64(i) << 21
                // The MMIO hole (virtio, IOAPIC, LAPIC) is uncached.
                let uncached: UInt64 = physical >= UInt64(SV_VIRTIO_MMIO_BASE) && physical < 1 << 32 ? PageFlags.uncached.rawValue : 0
                p2[i] = physical | present | writable | userBit | PageFlags.largePage.rawValue | uncached
            }
            p3[g] = pd.value | present | writable | userBit
        }
        kernelSpace = AddressSpace(root: pml4)
    }

    /// The entry area for user address spaces: its text read-only and executable, its tables
    /// read-only, its data page writable; at the same virtual addresses as in the kernel, so the
    /// entry code keeps running across the CR3 switch. User-accessible only on PVM (rule 6).
    static func buildEntryChain() {
        let w = window!
        let scratch = AddressSpace.create(frames: &frames!, memory: w)!
        let user: PageFlags = Platform.isPVM ? .user : []
        func mapRange(_ start: UInt64, _ end: UInt64, _ flags: PageFlags) {
            var va = start
            while va < end {
                do {
                    try scratch.map(VirtualAddress(va), to: physical(va), flags: flags.union(user), frames: &frames!, memory: w)
                } catch {
                    panic("cannot map the entry area")
                }
                va += pageSize
            }
        }
        mapRange(sv_address_of_entry_text_start(), sv_address_of_entry_text_end(), [])
        mapRange(sv_address_of_entry_tables_start(), sv_address_of_entry_tables_end(), [.noExecute])
        mapRange(sv_address_of_entry_data_start(), sv_address_of_entry_data_end(), [.writable, .noExecute])
        entryChainEntry = scratch.entry(slot: directMapSlot, memory: w)
        // The scratch PML4 itself is no longer needed; the chain below it lives on.
        frames!.free(scratch.root)
    }

    /// A new user address space: its own PML4 plus the shared entry area. With hypervisor CR3
    /// switching it is the user half of an 8 KiB-aligned pair whose kernel half maps the kernel.
    static func createUserSpace() -> AddressSpace? {
        let w = window!
        let space: AddressSpace
        if Platform.hypervisorSwitchesCR3 {
            guard let pair = frames!.allocateAlignedPair() else { return nil }
            w.zeroPage(pair)
            w.zeroPage(PhysicalAddress(pair.value + pageSize))
            AddressSpace(root: pair).share(slot: directMapSlot, entry: kernelSpace!.entry(slot: directMapSlot, memory: w), memory: w)
            space = AddressSpace(root: PhysicalAddress(pair.value + pageSize))
        } else {
            guard let s = AddressSpace.create(frames: &frames!, memory: w) else { return nil }
            space = s
        }
        space.share(slot: directMapSlot, entry: entryChainEntry, memory: w)
        return space
    }

    static func destroyUserSpace(_ space: AddressSpace) {
        Debugger.addressSpaceGone(space.root.value)
        if Platform.hypervisorSwitchesCR3 {
            let kernelHalf = space.root.value - pageSize
            // Never free the page tables the CPU is using.
            if Platform.loadedCR3 == kernelHalf {
                sv_write_cr3(kernelSpace!.root.value)
                Platform.loadedCR3 = kernelSpace!.root.value
                EntryConstants.pointer.pointee.kernel_cr3 = kernelSpace!.root.value
            }
            frames!.free(PhysicalAddress(kernelHalf))
        }
        space.destroy(userSlots: userSlots, frames: &frames!, memory: window!)
    }

    static func roundUp(_ v: UInt64, _ to: UInt64) -> UInt64 { (v + to - 1) & ~(to - 1) }
}
