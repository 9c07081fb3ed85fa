// Process.swift — a process: the unit of protection and ownership (address space, rights,
// environment, children, exit status), apart from the threads that run in it. The machine layer
// subclasses it to add the address space and its allocation marks (Kernel/Kernel/UserProcess.swift).

import ABI

open class Process {
    public let pid: Int32
    public internal(set) var parentPID: Int32
    /// The program's name (what `ps` shows); exec changes it.
    public internal(set) var name: [UInt8]
    /// NAME=value strings, each NUL-terminated (sv_syscall.h); a child starts with a copy.
    public var environment: [UInt8] = []
    /// Who it acts as (Credentials.swift): root for the first process; fork, spawn and exec keep them.
    public var credentials = Credentials.root
    /// Its file mode creation mask (XSH umask): inherited; stamped on its messages for the file server.
    public var umask: UInt32 = UInt32(SV_UMASK_DEFAULT)
    /// The devices it may drive (bit i: device index i) with device_map, irq_wait and irq_notify:
    /// a user-mode driver's right, handed down by its parent at spawn (DeviceTable.swift
    /// `grantedDevices`), never made. Any bit also allows device_info, dma_alloc and console_attach.
    public var deviceRights: UInt64 = 0
    /// Holds some device right: a user-mode driver.
    public var mayUseDevices: Bool { deviceRights != 0 }
    /// May drive device `index`.
    public func mayUse(device index: Int) -> Bool {
        index >= 0 && index < Int(SV_DEVICE_RIGHT_CONSOLE) && (deviceRights >> UInt64(index)) & 1 != 0
    }
    /// May become the console's server (console_attach): the terminal server's right.
    public var mayAttachConsole: Bool { (deviceRights >> UInt64(SV_DEVICE_RIGHT_CONSOLE)) & 1 != 0 }
    public internal(set) var exitStatus: Int32 = 0
    /// The signal that ended it (0: it exited). Its exitStatus is then 128 + signal.
    public internal(set) var terminationSignal: Int32 = 0
    /// Its file descriptors.
    public internal(set) var descriptors = DescriptorTable()
    /// Exited, not yet reaped by its parent.
    public internal(set) var isZombie = false
    /// Its threads (one for now).
    public internal(set) var threads: [Thread] = []
    /// Its signal dispositions, mask and pending set (Signals.swift).
    public var signals = SignalState()
    /// Its process group and session (XBD 3.296, 3.343): its own at first; fork and spawn inherit.
    public internal(set) var pgid: Int32
    public internal(set) var sid: Int32
    /// It ran exec (or was started by spawn): its parent may no longer change its group (XSH setpgid).
    public internal(set) var hasExeced = false
    /// Stopped by a stop signal: its threads do not run until SIGCONT.
    public internal(set) var isStopped = false
    /// A stop or continue its parent's waitpid (WUNTRACED/WCONTINUED) has not reported yet.
    public internal(set) var waitEvent: WaitEvent? = nil
    /// When SIGALRM is due (ns since boot; 0: no alarm).
    public internal(set) var alarmDeadline: UInt64 = 0
    /// sigsuspend: the mask to restore once the handler that ended it returns (it goes into that
    /// handler's frame as the old mask).
    public var maskAfterSuspend: UInt64? = nil

    public init(pid: Int32, parentPID: Int32, name: [UInt8]) {
        self.pid = pid
        self.parentPID = parentPID
        self.name = name
        self.pgid = pid
        self.sid = pid
    }

    public var mainThread: Thread? { threads.first }

    /// The status word waitpid reports (POSIX <sys/wait.h>, Linux's encoding): the signal number
    /// if a signal ended it, else the exit code in bits 8–15.
    public var waitStatus: Int32 { terminationSignal != 0 ? terminationSignal & 0x7f : (exitStatus & 0xff) << 8 }

    /// A session leader (setsid made it): its exit hangs up the session.
    public var isSessionLeader: Bool { sid == pid }

    public var displayName: String {
        var s = ""
        for b in name { s.append(Character(Unicode.Scalar(b))) }
        return s
    }
}

/// What waitpid can report about a child that has not exited (Linux's status words).
public enum WaitEvent: Equatable, Sendable {
    /// Stopped by `signal`: status 0x7f | signal << 8 (WUNTRACED).
    case stopped(Int32)
    /// Continued by SIGCONT: status 0xffff (WCONTINUED).
    case continued

    public var status: Int32 {
        switch self {
        case .stopped(let s): return 0x7f | (s & 0xff) << 8
        case .continued: return 0xffff
        }
    }
}
