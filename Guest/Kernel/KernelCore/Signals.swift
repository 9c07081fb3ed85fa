// Signals.swift — a process's signal state (POSIX XSH 2.4, Linux's numbering and flag values):
// the disposition of each signal, the blocked mask, the pending set with the siginfo of each
// signal's first instance, and the pure decision "what does signal S do now". No machine state:
// the kernel's machine layer builds the frame on the user stack (Kernel/Kernel/SignalFrames.swift),
// KernelState.sendSignal (SignalDelivery.swift here) decides what a generation does to the process.
// One thread per process, so the mask lives with the process (POSIX keeps it per thread).
import ABI

/// Linux's signal numbers (asm/signal.h for x86-64); 32–64 are the real-time range.
public enum Sig {
    public static let HUP: Int32 = 1, INT: Int32 = 2, QUIT: Int32 = 3, ILL: Int32 = 4, TRAP: Int32 = 5
    public static let ABRT: Int32 = 6, BUS: Int32 = 7, FPE: Int32 = 8, KILL: Int32 = 9, USR1: Int32 = 10
    public static let SEGV: Int32 = 11, USR2: Int32 = 12, PIPE: Int32 = 13, ALRM: Int32 = 14, TERM: Int32 = 15
    public static let STKFLT: Int32 = 16, CHLD: Int32 = 17, CONT: Int32 = 18, STOP: Int32 = 19, TSTP: Int32 = 20
    public static let TTIN: Int32 = 21, TTOU: Int32 = 22, URG: Int32 = 23, XCPU: Int32 = 24, XFSZ: Int32 = 25
    public static let VTALRM: Int32 = 26, PROF: Int32 = 27, WINCH: Int32 = 28, IO: Int32 = 29, PWR: Int32 = 30
    public static let SYS: Int32 = 31
    /// Signals are 1...count (Linux's _NSIG = 64).
    public static let count: Int32 = 64

    public static func isValid(_ s: Int32) -> Bool { s >= 1 && s <= count }
    /// The signal's bit in a 64-bit mask (Linux: bit s-1).
    public static func bit(_ s: Int32) -> UInt64 { UInt64(1) << UInt64(s - 1) }
    /// SIGKILL and SIGSTOP: never caught, blocked or ignored (XSH 2.4.3).
    public static let unblockable = bit(KILL) | bit(STOP)
    public static let stopSignals = bit(STOP) | bit(TSTP) | bit(TTIN) | bit(TTOU)
}

/// sigaction's flags (Linux x86-64 values, asm-generic/signal-defs.h and asm/signal.h).
public enum SigFlag {
    public static let NOCLDSTOP: UInt64 = 0x0000_0001
    public static let NOCLDWAIT: UInt64 = 0x0000_0002
    public static let SIGINFO: UInt64 = 0x0000_0004
    public static let RESTORER: UInt64 = 0x0400_0000
    public static let ONSTACK: UInt64 = 0x0800_0000
    public static let RESTART: UInt64 = 0x1000_0000
    public static let NODEFER: UInt64 = 0x4000_0000
    public static let RESETHAND: UInt64 = 0x8000_0000
    /// What the kernel accepts (SA_ONSTACK is accepted and ignored: there is no sigaltstack).
    public static let known: UInt64 = NOCLDSTOP | NOCLDWAIT | SIGINFO | RESTORER | ONSTACK | RESTART | NODEFER | RESETHAND
}

/// si_code values (Linux asm-generic/siginfo.h).
public enum SigCode {
    public static let user: Int32 = 0          // SI_USER: kill
    public static let kernel: Int32 = 0x80     // SI_KERNEL
    public static let segvMapErr: Int32 = 1, segvAccErr: Int32 = 2
    public static let illIllOpn: Int32 = 2
    public static let fpeIntDiv: Int32 = 1, fpeFltInv: Int32 = 7
    public static let busAdrAln: Int32 = 1
    public static let cldExited: Int32 = 1, cldKilled: Int32 = 2, cldStopped: Int32 = 5, cldContinued: Int32 = 6
}

/// One signal's action (the kernel's struct sv_sigaction: Linux's k_sigaction order).
public struct SignalAction: Equatable, Sendable {
    /// SIG_DFL (0), SIG_IGN (1), or the handler's address.
    public var handler: UInt64
    public var flags: UInt64
    public var restorer: UInt64
    /// Blocked while the handler runs (besides the signal itself unless SA_NODEFER).
    public var mask: UInt64

    public static let defaultHandler: UInt64 = 0
    public static let ignoreHandler: UInt64 = 1
    public static let byDefault = SignalAction(handler: 0, flags: 0, restorer: 0, mask: 0)

    public init(handler: UInt64, flags: UInt64 = 0, restorer: UInt64 = 0, mask: UInt64 = 0) {
        self.handler = handler
        self.flags = flags
        self.restorer = restorer
        self.mask = mask
    }

    public var isHandler: Bool { handler > SignalAction.ignoreHandler }
}

/// What the first pending instance of a signal carries (siginfo_t's fields this kernel fills).
public struct SignalInfo: Equatable, Sendable {
    public var signal: Int32
    public var code: Int32
    /// The sender (kill) or the child (SIGCHLD); 0 from the kernel.
    public var pid: Int32
    /// The faulting address (SIGSEGV, SIGBUS, SIGILL, SIGFPE).
    public var address: UInt64
    /// SIGCHLD: the exit code, or the signal that ended, stopped or continued the child.
    public var status: Int32

    public init(signal: Int32, code: Int32 = SigCode.user, pid: Int32 = 0, address: UInt64 = 0, status: Int32 = 0) {
        self.signal = signal
        self.code = code
        self.pid = pid
        self.address = address
        self.status = status
    }
}

/// What a signal does when it is acted upon (XSH 2.4.3, <signal.h>'s default actions).
public enum SignalDecision: Equatable, Sendable {
    case terminate
    case ignore
    case stop
    case `continue`
    case handler(SignalAction)
}

public struct SignalState: Sendable {
    /// actions[s - 1] for signal s.
    public private(set) var actions = [SignalAction](repeating: .byDefault, count: Int(Sig.count))
    public internal(set) var blocked: UInt64 = 0
    public internal(set) var pending: UInt64 = 0
    /// The first instance's siginfo of each pending signal (standard signals do not queue; the
    /// real-time ones do not queue here either: a documented simplification).
    var infos: [SignalInfo?] = [SignalInfo?](repeating: nil, count: Int(Sig.count))

    public init() {}

    public func action(_ s: Int32) -> SignalAction { actions[Int(s - 1)] }

    /// The default action of `s` (XSH <signal.h>: A and C = terminate, I = ignore, S = stop,
    /// C = continue). Real-time signals terminate.
    public static func defaultDecision(_ s: Int32) -> SignalDecision {
        switch s {
        case Sig.CHLD, Sig.URG, Sig.WINCH: return .ignore
        case Sig.CONT: return .continue
        case Sig.STOP, Sig.TSTP, Sig.TTIN, Sig.TTOU: return .stop
        default: return .terminate
        }
    }

    /// What `s` does under the current disposition, were it delivered now.
    public func decide(_ s: Int32) -> SignalDecision {
        if s == Sig.KILL { return .terminate }
        if s == Sig.STOP { return .stop }
        let a = action(s)
        if a.handler == SignalAction.ignoreHandler { return s == Sig.CONT ? .continue : .ignore }
        if a.isHandler { return .handler(a) }
        return SignalState.defaultDecision(s)
    }

    /// Whether `s` is discarded at generation: its action is to ignore (explicitly or by
    /// default) and it is not blocked (Linux keeps a blocked ignored signal pending, as XSH
    /// allows: the disposition may change before it is unblocked).
    public func discardsAtGeneration(_ s: Int32) -> Bool {
        decide(s) == .ignore && blocked & Sig.bit(s) == 0
    }

    // ---- generation and acceptance ----

    /// Records `info` as pending (the first instance's info stays). Applies XSH 2.4.1's rules
    /// between stop and continue signals: SIGCONT discards pending stops, a stop discards a
    /// pending SIGCONT. Returns false when the signal was discarded (ignored).
    public mutating func generate(_ info: SignalInfo) -> Bool {
        let s = info.signal
        if s == Sig.CONT { pending &= ~Sig.stopSignals; clearInfos(Sig.stopSignals) }
        if Sig.stopSignals & Sig.bit(s) != 0 { pending &= ~Sig.bit(Sig.CONT); infos[Int(Sig.CONT - 1)] = nil }
        if discardsAtGeneration(s) { return false }
        if pending & Sig.bit(s) == 0 { infos[Int(s - 1)] = info }
        pending |= Sig.bit(s)
        return true
    }

    /// The lowest-numbered pending signal that is not blocked (Linux takes the synchronous
    /// fault signals first; here a fault is delivered before the process runs again anyway).
    public func nextDeliverable() -> Int32? {
        let ready = pending & ~(blocked & ~Sig.unblockable)
        guard ready != 0 else { return nil }
        return Int32(ready.trailingZeroBitCount) + 1
    }

    /// Whether `s` is pending and not blocked.
    public func isDeliverable(_ s: Int32) -> Bool { pending & Sig.bit(s) & ~blocked != 0 }

    /// Takes `s` off the pending set, with the info of its first instance.
    public mutating func take(_ s: Int32) -> SignalInfo {
        pending &= ~Sig.bit(s)
        defer { infos[Int(s - 1)] = nil }
        return infos[Int(s - 1)] ?? SignalInfo(signal: s)
    }

    /// Entering a handler for `s`: the mask the handler runs with (the old mask is saved in the
    /// frame); SA_RESETHAND restores the default action.
    public mutating func enterHandler(_ s: Int32, _ a: SignalAction) {
        blocked |= a.mask | (a.flags & SigFlag.NODEFER == 0 ? Sig.bit(s) : 0)
        blocked &= ~Sig.unblockable
        if a.flags & SigFlag.RESETHAND != 0 { actions[Int(s - 1)] = .byDefault }
    }

    // ---- the calls ----

    /// sigaction(s, new): EINVAL for an invalid signal or a new action for SIGKILL/SIGSTOP or
    /// unknown flags. Setting ignore (or a default that ignores) discards a pending `s` (XSH 2.4.3).
    public mutating func setAction(_ s: Int32, _ new: SignalAction?) -> Result<SignalAction, KernelError> {
        guard Sig.isValid(s) else { return .failure(.init(SV_EINVAL)) }
        let old = action(s)
        guard let new else { return .success(old) }
        guard s != Sig.KILL, s != Sig.STOP, new.flags & ~SigFlag.known == 0 else { return .failure(.init(SV_EINVAL)) }
        var a = new
        a.mask &= ~Sig.unblockable
        actions[Int(s - 1)] = a
        if decide(s) == .ignore { pending &= ~Sig.bit(s); infos[Int(s - 1)] = nil }
        return .success(old)
    }

    /// sigprocmask(how, set): SIG_BLOCK 0, SIG_UNBLOCK 1, SIG_SETMASK 2 (Linux); SIGKILL and
    /// SIGSTOP are silently left out. Returns the old mask.
    public mutating func changeMask(how: Int32, _ set: UInt64?) -> Result<UInt64, KernelError> {
        let old = blocked
        guard let set else { return how >= 0 && how <= 2 ? .success(old) : .failure(.init(SV_EINVAL)) }
        switch how {
        case 0: blocked |= set
        case 1: blocked &= ~set
        case 2: blocked = set
        default: return .failure(.init(SV_EINVAL))
        }
        blocked &= ~Sig.unblockable
        return .success(old)
    }

    /// Restores a mask (sigreturn, the end of sigsuspend).
    public mutating func setMask(_ mask: UInt64) { blocked = mask & ~Sig.unblockable }

    /// fork: the child has the parent's actions and mask, and nothing pending (XSH fork).
    public func forked() -> SignalState {
        var s = SignalState()
        s.actions = actions
        s.blocked = blocked
        return s
    }

    /// exec: caught signals go back to the default; ignored ones stay ignored; the mask and the
    /// pending set are kept (XSH exec).
    public mutating func execed() {
        for i in actions.indices {
            if actions[i].isHandler { actions[i] = .byDefault }
            else { actions[i].flags = 0; actions[i].mask = 0; actions[i].restorer = 0 }
        }
    }

    mutating func clearInfos(_ mask: UInt64) {
        for i in 0..<Int(Sig.count) where mask & (UInt64(1) << UInt64(i)) != 0 { infos[i] = nil }
    }
}
