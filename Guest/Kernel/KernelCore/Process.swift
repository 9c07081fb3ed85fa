// Process.swift — a process: the unit of protection and ownership (address space, rights,
// environment, children, exit status), apart from the threads that run in it. The machine layer
// subclasses it to add the address space and its allocation marks (Kernel/Kernel/UserProcess.swift).

open class Process {
    public let pid: Int32
    public internal(set) var parentPID: Int32
    /// The program's name (what `ps` shows); exec changes it.
    public internal(set) var name: [UInt8]
    /// NAME=value strings, each NUL-terminated (sv_syscall.h); a child starts with a copy.
    public var environment: [UInt8] = []
    /// May use the device calls (device_map, dma_alloc, irq_wait): a user-mode driver.
    public var mayUseDevices = false
    public internal(set) var exitStatus: Int32 = 0
    /// The signal that ended it (0: it exited). Its exitStatus is then 128 + signal.
    public internal(set) var terminationSignal: Int32 = 0
    /// Its file descriptors.
    public internal(set) var descriptors = DescriptorTable()
    /// Exited, not yet reaped by its parent.
    public internal(set) var isZombie = false
    /// Its threads (one for now).
    public internal(set) var threads: [Thread] = []

    public init(pid: Int32, parentPID: Int32, name: [UInt8]) {
        self.pid = pid
        self.parentPID = parentPID
        self.name = name
    }

    public var mainThread: Thread? { threads.first }

    /// The status word waitpid reports (POSIX <sys/wait.h>, Linux's encoding): the signal number
    /// if a signal ended it, else the exit code in bits 8–15.
    public var waitStatus: Int32 { terminationSignal != 0 ? terminationSignal & 0x7f : (exitStatus & 0xff) << 8 }

    public var displayName: String {
        var s = ""
        for b in name { s.append(Character(Unicode.Scalar(b))) }
        return s
    }
}
