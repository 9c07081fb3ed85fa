// SignalFrames.swift — running signal handlers: on the way back to user mode (Dispatch), a pending
// unblocked signal is acted upon; a handler gets Linux's x86-64 rt_sigframe on the user stack and
// sigreturn restores the interrupted state from it, trusting nothing in it (docs/SIGNALS.md).
//
// The frame (arch/x86/include/asm/sigframe.h, uapi/asm/sigcontext.h, uapi/asm-generic/ucontext.h),
// `frame` = the handler's rsp, so that rsp + 8 is 16-byte aligned as after a call (SysV ABI §3.2.2):
//   frame + 0    return address: sa_restorer (which calls sigreturn)
//   frame + 8    struct ucontext: uc_flags, uc_link, uc_stack (24 bytes), uc_mcontext = struct
//                sigcontext (32 words: r8–r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags,
//                cs|gs|fs|ss, err, trapno, oldmask, cr2, fpstate, 8 reserved), uc_sigmask (8 bytes)
//   frame + 312  siginfo_t (128 bytes: signo, errno, code, pad, then pid/uid/status or addr at +16)
//   above it, 64-byte aligned: the 512-byte FXSAVE image (SDM Vol. 1 §10.5.1), pointed to by fpstate.
// All of it lies below the interrupted rsp's 128-byte red zone (SysV ABI §3.2.2).
import ABI
import Arch
import Platform
import KernelCore

enum SignalFrames {
    static let ucontextOffset: UInt64 = 8
    static let mcontextOffset: UInt64 = 8 + 40
    static let sigmaskOffset: UInt64 = 8 + 296
    static let siginfoOffset: UInt64 = 312
    static let frameSize: UInt64 = 440
    static let fpuSize: UInt64 = 512
    static let redZone: UInt64 = 128

    /// Acts on the pending signals `t` may take before it returns to user mode: ignores, stops,
    /// ends the process, or enters one handler. A call a signal interrupted is turned into EINTR
    /// or restarted (SA_RESTART, or no handler ran). False: `t` cannot run now (ended or stopped).
    static func deliver(_ t: UserThread) -> Bool {
        let p = t.process
        while let s = p.signals.nextDeliverable() {
            switch p.signals.decide(s) {
            case .terminate:
                _ = p.signals.take(s)
                kernel.terminate(p, by: s)
                return false
            case .stop:
                _ = p.signals.take(s)
                kernel.stopProcess(p, by: s)
                return false
            case .ignore, .continue:
                _ = p.signals.take(s)
            case .handler(let action):
                let info = p.signals.take(s)
                finishInterruptedCall(t, restart: action.flags & SigFlag.RESTART != 0)
                guard enterHandler(t, info, action) else {
                    log("pid \(p.pid) (\(p.displayName)): signal \(s): no room for its frame at \(hex(t.context.rsp)) — killed")
                    kernel.terminate(p, by: Sig.SEGV)
                    return false
                }
                return true
            }
        }
        finishInterruptedCall(t, restart: true)
        // A sigsuspend that no handler ended (the signal was ignored meanwhile) gets its mask back.
        if let mask = p.maskAfterSuspend {
            p.signals.setMask(mask)
            p.maskAfterSuspend = nil
        }
        return true
    }

    /// An interrupted restartable call (KernelCore.restartMarker in rax): EINTR, or run again by
    /// stepping back over the 2-byte SYSCALL with its number in rax (the arguments are intact).
    static func finishInterruptedCall(_ t: UserThread, restart: Bool) {
        guard !t.needsFullRestore, t.context.rax == restartMarker else { return }
        if restart {
            t.context.rax = t.syscallNumber
            t.context.rip &-= 2
        } else {
            t.context.rax = Syscalls.errno(SV_EINTR)
        }
    }

    /// Builds the frame for `info.signal` and points `t` at the handler. False if the frame
    /// cannot be written (the process is then killed with SIGSEGV, as Linux's force_sigsegv).
    static func enterHandler(_ t: UserThread, _ info: SignalInfo, _ action: SignalAction) -> Bool {
        let p = t.process
        // x86-64 has no sigreturn trampoline in the kernel: the C library's restorer is required.
        guard action.flags & SigFlag.RESTORER != 0, action.restorer != 0, action.restorer < UInt64(SV_USER_END) else { return false }
        let c = t.context
        guard c.rsp > redZone + fpuSize + frameSize + 64, c.rsp <= UInt64(SV_USER_END) else { return false }
        let fpu = (c.rsp - redZone - fpuSize) & ~63
        let frame = ((fpu - frameSize) & ~15) - 8
        _ = MemoryCalls.growStack(t, faultAddress: frame, error: 0)
        // The FPU state as the thread left it: live in the CPU if it owns it.
        if CPULocal.fpuOwner === t { sv_fxsave(t.fpuState) }
        // SAFETY: fpuState is this thread's 512-byte FXSAVE area.
        let fpuBytes = Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(t.fpuState), count: Int(fpuSize)))
        let oldMask = p.maskAfterSuspend ?? p.signals.blocked
        var bytes = [UInt8](repeating: 0, count: Int(frameSize))
        func put(_ v: UInt64, _ at: UInt64) { for i in 0..<8 { bytes[Int(at) + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) } }
        func put32(_ v: Int32, _ at: UInt64) { for i in 0..<4 { bytes[Int(at) + i] = UInt8(truncatingIfNeeded: UInt32(bitPattern: v) >> (8 * UInt32(i))) } }
        put(action.restorer, 0)
        let registers: [UInt64] = [c.r8, c.r9, c.r10, c.r11, c.r12, c.r13, c.r14, c.r15, c.rdi, c.rsi, c.rbp, c.rbx,
                                   c.rdx, c.rax, c.rcx, c.rsp, c.rip, c.rflags,
                                   UInt64(SV_SEL_USER_CS) | UInt64(SV_SEL_USER_SS) << 48,
                                   c.vector < 32 ? c.error : 0, c.vector < 32 ? c.vector : 0, oldMask,
                                   info.signal == Sig.SEGV ? info.address : 0, fpu]
        for (i, r) in registers.enumerated() { put(r, mcontextOffset + UInt64(i * 8)) }
        put(oldMask, sigmaskOffset)
        put32(info.signal, siginfoOffset)
        put32(info.code, siginfoOffset + 8)
        if info.address != 0 {
            put(info.address, siginfoOffset + 16)
        } else {
            put32(info.pid, siginfoOffset + 16)
            put32(info.status, siginfoOffset + 24)
        }
        let user = t.userMemory
        guard (try? user.store(fpuBytes, at: fpu)) != nil, (try? user.store(bytes, at: frame)) != nil else { return false }
        p.maskAfterSuspend = nil
        p.signals.enterHandler(info.signal, action)
        // The handler starts with a clean FPU state (as on Linux) and the SysV entry state.
        t.fpuState.copyMemory(from: FPU.initialState, byteCount: Int(fpuSize))
        if CPULocal.fpuOwner === t { CPULocal.fpuOwner = nil }
        t.context.rsp = frame
        t.context.rip = action.handler
        t.context.rdi = UInt64(info.signal)
        t.context.rsi = frame + siginfoOffset
        t.context.rdx = frame + ucontextOffset
        t.context.rax = 0
        t.context.rflags &= ~UInt64(0x1_0500)    // TF, DF, RF clear (SysV ABI: DF clear on entry)
        t.needsFullRestore = true
        return true
    }

    /// sigreturn(): the frame is at rsp - 8 (the handler's `ret` popped the restorer's address).
    /// Every register comes back from it; rip must be a user address, rflags are sanitized and
    /// the selectors fixed (Dispatch.prepareFrame), MXCSR keeps to the bits the CPU allows (a bad
    /// one would fault FXRSTOR in the kernel). A frame that cannot be read ends the process (SIGSEGV).
    static func sigreturn(_ t: UserThread) {
        let p = t.process
        let frame = t.context.rsp &- 8
        guard let bytes = try? t.userMemory.bytes(at: frame, count: Int(siginfoOffset)) else {
            log("pid \(p.pid) (\(p.displayName)): sigreturn with no frame at \(hex(frame)) — killed")
            kernel.terminate(p, by: Sig.SEGV)
            return
        }
        func word(_ at: UInt64) -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(bytes[Int(at) + i]) << (8 * UInt64(i)) }
            return v
        }
        func r(_ i: Int) -> UInt64 { word(mcontextOffset + UInt64(i * 8)) }
        let rip = r(16), rsp = r(15)
        guard rip < UInt64(SV_USER_END), rsp < UInt64(SV_USER_END) else {
            log("pid \(p.pid) (\(p.displayName)): sigreturn to \(hex(rip)) — killed")
            kernel.terminate(p, by: Sig.SEGV)
            return
        }
        let fpuAddress = r(23)
        var fpu: [UInt8]? = nil
        if fpuAddress != 0 {
            guard let f = try? t.userMemory.bytes(at: fpuAddress, count: Int(fpuSize)) else {
                log("pid \(p.pid) (\(p.displayName)): sigreturn with no FPU state at \(hex(fpuAddress)) — killed")
                kernel.terminate(p, by: Sig.SEGV)
                return
            }
            fpu = f
        }
        var c = t.context
        c.r8 = r(0); c.r9 = r(1); c.r10 = r(2); c.r11 = r(3); c.r12 = r(4); c.r13 = r(5); c.r14 = r(6); c.r15 = r(7)
        c.rdi = r(8); c.rsi = r(9); c.rbp = r(10); c.rbx = r(11); c.rdx = r(12); c.rax = r(13); c.rcx = r(14)
        c.rsp = rsp
        c.rip = rip
        c.rflags = Dispatch.sanitizedFlags(r(17))
        t.context = c
        t.needsFullRestore = true
        p.signals.setMask(word(sigmaskOffset))
        if CPULocal.fpuOwner === t { CPULocal.fpuOwner = nil }
        if var f = fpu {
            // MXCSR (byte 24) within MXCSR_MASK (byte 28 of an FXSAVE image; 0 there means 0xffbf).
            let maskWord = FPU.initialState.load(fromByteOffset: 28, as: UInt32.self)
            let mask = maskWord == 0 ? UInt32(0xffbf) : maskWord
            var mxcsr = UInt32(f[24]) | UInt32(f[25]) << 8 | UInt32(f[26]) << 16 | UInt32(f[27]) << 24
            mxcsr &= mask
            for i in 0..<4 { f[24 + i] = UInt8(truncatingIfNeeded: mxcsr >> (8 * UInt32(i))) }
            // SAFETY: fpuState is this thread's 512-byte area; `f` holds exactly 512 bytes.
            f.withUnsafeBytes { t.fpuState.copyMemory(from: $0.baseAddress!, byteCount: Int(fpuSize)) }
        } else {
            t.fpuState.copyMemory(from: FPU.initialState, byteCount: Int(fpuSize))
        }
    }
}
