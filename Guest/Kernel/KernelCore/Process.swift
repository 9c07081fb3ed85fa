// Process.swift — a process: the unit of protection and ownership (address space, rights,
// environment, children, exit status), apart from the threads that run in it. The machine layer
// subclasses it to add the address space and its allocation marks (Kernel/Kernel/UserProcess.swift).

open class Process {
    public let pid: Int32
    public internal(set) var parentPID: Int32
    /// The program's name (what `ps` shows).
    public let name: [UInt8]
    /// NAME=value strings, each NUL-terminated (sv_syscall.h); a child starts with a copy.
    public var environment: [UInt8] = []
    /// May use the device calls (device_map, dma_alloc, irq_wait): a user-mode driver.
    public var mayUseDevices = false
    public internal(set) var exitStatus: Int32 = 0
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

    public var displayName: String {
        var s = ""
        for b in name { s.append(Character(Unicode.Scalar(b))) }
        return s
    }
}
