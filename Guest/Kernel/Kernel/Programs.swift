// Programs.swift — starting user programs from the initial ramdisk: validate the ELF (the shared
// ELF module), build a fresh address space (own pages + the shared entry area + on PVM the return
// stub), copy the segments, map a stack, and queue the process.
import ABI
import Arch
import Platform
import ELF
import Initrd
import KernelCore

struct LoadError: Error {
    let code: Int32
    let reason: String
}

enum Programs {
    // SAFETY (globals): set at boot or changed only by kernel code, which runs on one CPU with
    // interrupts off (HOST.md rule 3): accesses never overlap.
    nonisolated(unsafe) static var archive: UnsafeRawBufferPointer? = nil
    nonisolated(unsafe) static var entries: [InitrdEntry] = []

    /// Reads the initrd the boot info points at. A bad archive is reported and ignored.
    static func initialize(boot: BootInfo) {
        guard boot.initrdSize > 0 else { log("no initrd"); return }
        // SAFETY: the initrd lies in RAM (boot info), is never handed out as a free frame
        // (Memory.initialize) and is only read; InitrdFormat checks every entry's bounds.
        let base = UnsafeRawPointer(bitPattern: UInt(Memory.virtual(boot.initrdAddress)))!
        let bytes = UnsafeRawBufferPointer(start: base, count: Int(boot.initrdSize))
        do {
            entries = try InitrdFormat.entries(of: bytes)
            archive = bytes
        } catch {
            log("initrd rejected: \(error.description)")
        }
    }

    static func find(_ name: [UInt8]) -> InitrdEntry? { entries.first { $0.name == name } }

    /// The lowest address a program may use (page 0 stays unmapped: null dereferences fault) and
    /// the end of the region below the stack.
    static let lowestAddress: UInt64 = 0x1000
    static var highestAddress: UInt64 { UInt64(SV_USER_STACK_TOP) - UInt64(SV_USER_STACK_SIZE) }

    static func start(name: [UInt8], arguments: [[UInt8]], parentPID: Int32) -> Result<UserProcess, LoadError> {
        guard let archive, let entry = find(name) else { return .failure(LoadError(code: SV_ENOENT, reason: "no such program")) }
        let file = UnsafeRawBufferPointer(rebasing: archive[entry.offset..<(entry.offset + entry.size)])
        let image: LoadedImage
        switch load(file) {
        case .failure(let e): return .failure(e)
        case .success(let i): image = i
        }
        guard case .success(let pid) = kernel.reservePID() else {
            Memory.destroyUserSpace(image.space)
            return .failure(LoadError(code: SV_EAGAIN, reason: "too many processes"))
        }
        let p = UserProcess(pid: pid, parentPID: parentPID, name: name, space: image.space)
        p.resetMemory(programEnd: image.end)
        let t = UserThread(process: p)
        guard let stackPointer = pushArguments(arguments, onto: p.userMemory),
              ThreadAreaCalls.install(t, user: p.userMemory) else {
            Memory.destroyUserSpace(image.space)
            return .failure(LoadError(code: SV_E2BIG, reason: "arguments do not fit the stack"))
        }
        t.context = initialContext(entry: image.entry, stackPointer: stackPointer)
        kernel.start(p, thread: t)
        Debugger.processStarting(t)
        return .success(p)
    }

    /// A program loaded into a fresh address space, not yet started.
    struct LoadedImage {
        let space: AddressSpace
        let entry: UInt64
        /// The end of the highest segment, page aligned: where the program break starts.
        let end: UInt64
    }

    /// Validates the ELF `file` (the shared ELF module) and builds an address space for it: its
    /// segments, a stack, the shared entry area and on PVM the return stub. Nothing is left
    /// allocated on failure.
    static func load(_ file: UnsafeRawBufferPointer) -> Result<LoadedImage, LoadError> {
        let elf: ELFFile
        do {
            elf = try ELFFile(bytes: file)
            try elf.checkPlacement(lower: lowestAddress, upper: highestAddress, physical: false)
        } catch {
            return .failure(LoadError(code: SV_ENOEXEC, reason: error.description))
        }
        let w = Memory.window!
        guard let space = Memory.createUserSpace() else {
            return .failure(LoadError(code: SV_ENOMEM, reason: "out of memory"))
        }
        space.share(slot: Memory.directMapSlot, entry: Memory.entryChainEntry, memory: w)
        do {
            if Platform.isPVM {
                try space.map(VirtualAddress(UInt64(SV_USER_STUB_VA)), to: Memory.physical(sv_address_of_user_stub_start()),
                              flags: [.user], frames: &Memory.frames!, memory: w)
            }
            for segment in elf.segments { try load(segment, from: file, into: space) }
            let stackBottom = UInt64(SV_USER_STACK_TOP) - UInt64(SV_USER_STACK_SIZE)
            try mapZeroed(from: stackBottom, to: UInt64(SV_USER_STACK_TOP), flags: [.user, .writable, .noExecute], into: space)
        } catch {
            Memory.destroyUserSpace(space)
            return .failure(LoadError(code: error == .outOfMemory ? SV_ENOMEM : SV_ENOEXEC, reason: "cannot map the program"))
        }
        let end = elf.segments.reduce(UInt64(0)) { max($0, $1.virtualEnd) }
        return .success(LoadedImage(space: space, entry: elf.entry, end: Memory.roundUp(end, pageSize)))
    }

    /// The registers a program starts with: all zero but its entry point, stack and flags.
    static func initialContext(entry: UInt64, stackPointer: UInt64) -> sv_trap_frame {
        var context = sv_trap_frame()
        context.rip = entry
        context.rsp = stackPointer
        context.rflags = 0x202
        context.cs = UInt64(SV_SEL_USER_CS)
        context.ss = UInt64(SV_SEL_USER_SS)
        return context
    }

    /// Lays out the initial stack (System V x86-64 ABI §3.4.1): argc, argv pointers, NULL, an empty
    /// envp (NULL), an empty auxiliary vector (AT_NULL), then the argument strings; rsp 16-byte
    /// aligned and pointing at argc. Returns rsp, or nil if it does not fit in one page. It starts
    /// below the thread control block at the stack's top (ThreadAreaCalls.install writes it).
    static func pushArguments(_ arguments: [[UInt8]], onto user: UserMemory) -> UInt64? {
        let top = UInt64(SV_USER_TCB_VA)
        var strings: [UInt8] = []
        var pointers: [UInt64] = []
        let stringBytes = arguments.reduce(0) { $0 + $1.count + 1 }
        let stringsStart = (top - UInt64(stringBytes)) & ~15
        for a in arguments {
            pointers.append(stringsStart + UInt64(strings.count))
            strings.append(contentsOf: a)
            strings.append(0)
        }
        var words: [UInt64] = [UInt64(arguments.count)]
        words.append(contentsOf: pointers)
        words.append(contentsOf: [0, 0, 0, 0])          // argv NULL, envp NULL, AT_NULL pair
        if words.count % 2 != 0 { words.append(0) }       // keep rsp 16-byte aligned
        let rsp = stringsStart - UInt64(words.count * 8)
        guard top - rsp <= pageSize else { return nil }
        var wordBytes: [UInt8] = []
        for w in words { for i in 0..<8 { wordBytes.append(UInt8(truncatingIfNeeded: w >> (8 * UInt64(i)))) } }
        let copied = (try? user.store(strings, at: stringsStart)) != nil && (try? user.store(wordBytes, at: rsp)) != nil
        return copied ? rsp : nil
    }

    /// Copies one PT_LOAD into fresh frames, page by page; the rest of each page is zero.
    static func load(_ s: LoadSegment, from file: UnsafeRawBufferPointer, into space: AddressSpace) throws(MapError) {
        let w = Memory.window!
        var flags: PageFlags = [.user, .owned]
        if s.isWritable { flags.insert(.writable) }
        if !s.isExecutable { flags.insert(.noExecute) }
        var page = s.virtualAddress & ~(pageSize - 1)
        let fileEnd = s.virtualAddress + s.fileSize
        while page < s.virtualEnd {
            guard let frame = Memory.frames!.allocate() else { throw .outOfMemory }
            w.zeroPage(frame)
            let copyStart = max(page, s.virtualAddress), copyEnd = min(page + pageSize, fileEnd)
            if copyStart < copyEnd {
                let source = file.baseAddress! + Int(s.fileOffset + (copyStart - s.virtualAddress))
                (w.pointer(frame) + Int(copyStart - page)).copyMemory(from: source, byteCount: Int(copyEnd - copyStart))
            }
            do {
                try space.map(VirtualAddress(page), to: frame, flags: flags, frames: &Memory.frames!, memory: w)
            } catch {
                Memory.frames!.free(frame)
                throw error
            }
            page += pageSize
        }
    }

    static func mapZeroed(from start: UInt64, to end: UInt64, flags: PageFlags, into space: AddressSpace) throws(MapError) {
        let w = Memory.window!
        var page = start
        while page < end {
            guard let frame = Memory.frames!.allocate() else { throw .outOfMemory }
            w.zeroPage(frame)
            do {
                try space.map(VirtualAddress(page), to: frame, flags: flags.union(.owned), frames: &Memory.frames!, memory: w)
            } catch {
                Memory.frames!.free(frame)
                throw error
            }
            page += pageSize
        }
    }
}
