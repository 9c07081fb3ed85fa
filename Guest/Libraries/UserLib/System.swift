// System.swift — system calls for ring-3 Swift programs (numbers and convention: sv_syscall.h).
// The system-call layer: programs get values and arrays, the raw pointers stay here.
// SAFETY (every system call below): each pointer handed to the kernel points into a buffer or value
// alive for the call (a withUnsafe… scope), with its true length; the kernel checks every user
// address (KernelCore UserMemory) and writes at most the length given. `bitPattern` conversions
// here are integer reinterpretations, not pointer ones.
import ABI
import UserRuntime

public enum System {
    /// Writes `bytes` to `fd`; returns the count written or a negative errno.
    @discardableResult
    public static func write(_ fd: Int, _ bytes: UnsafeRawBufferPointer) -> Int {
        Int(sv_syscall3(Int64(SV_SYS_WRITE), UInt64(bitPattern: Int64(fd)),
                        UInt64(UInt(bitPattern: bytes.baseAddress)), UInt64(bytes.count)))
    }

    /// Writes `bytes` to `fd`; returns the count written or a negative errno.
    @discardableResult
    public static func write(_ fd: Int, _ bytes: [UInt8]) -> Int {
        // SAFETY: the buffer is valid for the call; the kernel copies from it before returning.
        bytes.withUnsafeBytes { write(fd, $0) }
    }

    /// Reads one byte of console input (fd 0), waiting for it; nil on an error.
    public static func readByte(_ fd: Int) -> UInt8? {
        var byte: UInt8 = 0
        // SAFETY: one byte of this frame, valid for the call; the kernel writes at most that.
        let n = withUnsafeMutableBytes(of: &byte) { read(fd, into: $0) }
        return n == 1 ? byte : nil
    }

    /// Ends this process with a real page fault (a write to address 8), not an exit: what the
    /// servers' crash-after test option uses, so the kernel ends them as it would a buggy one
    /// (status 128 + SIGSEGV). A volatile store: the optimizer may neither drop it nor turn it into
    /// a trap, which would end the process with SIGILL instead.
    public static func faultForTesting() {
        // SAFETY: deliberately faulting — page 0 is never mapped, so the store faults and the
        // kernel ends the process before anything else runs.
        sv_user_volatile_write16(8, 0)
    }

    /// Raw write with an arbitrary address: for tests that hand the kernel bad pointers.
    @discardableResult
    public static func write(_ fd: Int, address: UInt64, length: UInt64) -> Int {
        Int(sv_syscall3(Int64(SV_SYS_WRITE), UInt64(bitPattern: Int64(fd)), address, length))
    }

    public static func getpid() -> Int { Int(sv_syscall0(Int64(SV_SYS_GETPID))) }

    /// Reads console input (fd 0): blocks until at least one byte is there; returns the count or
    /// a negative errno.
    public static func read(_ fd: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        Int(sv_syscall3(Int64(SV_SYS_READ), UInt64(bitPattern: Int64(fd)),
                        UInt64(UInt(bitPattern: buffer.baseAddress)), UInt64(buffer.count)))
    }

    public struct ProcessInfo {
        public var pid: Int
        public var parent: Int
        /// "run", "wait", "stopped" or "zombie".
        public var state: String
        public var name: String
        /// Its process group and session.
        public var pgid: Int = 0
        public var sid: Int = 0
        /// Its real and effective user ids.
        public var uid: UInt32 = 0
        public var euid: UInt32 = 0
    }

    /// The process table.
    public static func processes() -> [ProcessInfo] {
        var table = [sv_process_info](repeating: sv_process_info(), count: 300)
        let n = table.withUnsafeMutableBufferPointer {
            Int(sv_syscall2(Int64(SV_SYS_PROCESSES), UInt64(UInt(bitPattern: $0.baseAddress)), UInt64($0.count)))
        }
        guard n > 0 else { return [] }
        return table.prefix(min(n, table.count)).map { p in
            var q = p
            let name = withUnsafeBytes(of: &q.name) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
            let state = p.state == UInt32(SV_PROCESS_RUNNABLE) ? "run" : p.state == UInt32(SV_PROCESS_ZOMBIE) ? "zombie"
                : p.state == UInt32(SV_PROCESS_STOPPED) ? "stopped" : "wait"
            return ProcessInfo(pid: Int(p.pid), parent: Int(p.parent), state: state, name: name, pgid: Int(p.pgid), sid: Int(p.sid), uid: p.uid, euid: p.euid)
        }
    }

    /// kill(pid, signal) (POSIX's pid rules, docs/SIGNALS.md); SIGKILL (9) by default. 0 or a negative errno.
    public static func kill(_ pid: Int, signal: Int32 = 9) -> Int {
        Int(sv_syscall2(Int64(SV_SYS_KILL), UInt64(bitPattern: Int64(pid)), UInt64(bitPattern: Int64(signal))))
    }

    public static func yield() { _ = sv_syscall0(Int64(SV_SYS_YIELD)) }

    /// The programs spawn can start (the initrd's names).
    public static func programs() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var n = 0
        while true {
            n = buffer.withUnsafeMutableBytes { Int(sv_syscall2(Int64(SV_SYS_PROGRAMS), UInt64(UInt(bitPattern: $0.baseAddress)), UInt64($0.count))) }
            guard n > buffer.count else { break }
            buffer = [UInt8](repeating: 0, count: n)
        }
        guard n > 0 else { return [] }
        return buffer.prefix(n).split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Sleeps at least `nanoseconds` (the kernel's timer ticks every 10 ms).
    public static func sleep(nanoseconds: UInt64) { _ = sv_syscall1(Int64(SV_SYS_SLEEP), nanoseconds) }

    /// The cheapest system call: the round-trip benchmark.
    public static func nop() { _ = sv_syscall0(Int64(SV_SYS_NOP)) }

    /// Nanoseconds since boot.
    public static func clock() -> UInt64 { UInt64(bitPattern: sv_syscall0(Int64(SV_SYS_CLOCK))) }

    /// The program's arguments; `arguments[0]` is its name.
    public static var arguments: [String] {
        var result: [String] = []
        let argv = sv_user_argv()
        for i in 0..<Int(sv_user_argc()) {
            guard let p = argv?[i] else { break }
            result.append(String(cString: p))
        }
        return result
    }

    /// Starts the initrd program named by the first word of `commandLine`, the remaining words
    /// being its arguments; returns its pid or a negative errno.
    /// `devices`: the child gets all of this process's device rights (a driver); `deviceSet`:
    /// only the devices of this bit set (bit i: device index i), which this process must hold.
    public static func spawn(_ commandLine: String, devices: Bool = false, deviceSet: UInt64? = nil) -> Int {
        var n = commandLine
        let flags = deviceSet != nil ? UInt64(SV_SPAWN_DEVICE_SET) : devices ? UInt64(SV_SPAWN_DEVICES) : 0
        return n.withUTF8 { b in
            Int(sv_syscall4(Int64(SV_SYS_SPAWN), UInt64(UInt(bitPattern: b.baseAddress)), UInt64(b.count), flags, deviceSet ?? 0))
        }
    }

    /// Waits for child `pid` (0: any); returns its exit status or a negative errno.
    public static func wait(_ pid: Int) -> Int {
        Int(sv_syscall2(Int64(SV_SYS_WAIT), UInt64(bitPattern: Int64(pid)), 0))
    }

    /// Waits for any child; returns which one ended and its status, or nil (ECHILD: no children).
    public static func waitAny() -> (pid: Int, status: Int)? {
        var who: Int64 = 0
        let status = withUnsafeMutablePointer(to: &who) {
            Int(sv_syscall2(Int64(SV_SYS_WAIT), 0, UInt64(UInt(bitPattern: $0))))
        }
        guard who > 0 else { return nil }
        return (Int(who), status)
    }

    // ---- device access for user-mode drivers (sv_syscall.h) ----

    /// The description of device `index`, or nil past the last one (or without the right).
    public static func deviceInfo(_ index: Int) -> sv_device? {
        var d = sv_device()
        let r = withUnsafeMutablePointer(to: &d) {
            sv_syscall2(Int64(SV_SYS_DEVICE_INFO), UInt64(index), UInt64(UInt(bitPattern: $0)))
        }
        return r == 0 ? d : nil
    }

    /// Maps device `index`'s MMIO window; returns its address or a negative errno.
    public static func deviceMap(_ index: Int) -> Int64 { sv_syscall1(Int64(SV_SYS_DEVICE_MAP), UInt64(index)) }

    /// Zeroed, physically contiguous memory for device DMA: (address, physical address), or nil.
    public static func dmaAlloc(_ bytes: Int) -> (address: UInt64, physical: UInt64)? {
        var physical: UInt64 = 0
        let r = withUnsafeMutablePointer(to: &physical) {
            sv_syscall2(Int64(SV_SYS_DMA_ALLOC), UInt64(bytes), UInt64(UInt(bitPattern: $0)))
        }
        return r > 0 ? (UInt64(r), physical) : nil
    }

    /// Blocks until device `index` has interrupted since the last call.
    @discardableResult
    public static func irqWait(_ index: Int) -> Int { Int(sv_syscall1(Int64(SV_SYS_IRQ_WAIT), UInt64(index))) }

    /// Device `index`'s interrupts as SV_IRQ_NOTICE notices on `endpoint` (a server that drives a
    /// device waits for both in receive); endpoint 0: back to irq_wait. 0, or a negative errno.
    public static func irqNotify(_ index: Int, endpoint: Int) -> Int {
        Int(sv_syscall2(Int64(SV_SYS_IRQ_NOTIFY), UInt64(index), UInt64(endpoint)))
    }

    public static func exit(_ status: Int32) -> Never {
        StandardOutput.flush()
        _ = sv_syscall1(Int64(SV_SYS_EXIT), UInt64(UInt32(bitPattern: status)))
        while true {}
    }

    /// The CPU timestamp counter (user mode may read it: CR4.TSD is clear).
    public static func timestamp() -> UInt64 { sv_user_rdtsc() }
}

/// Called by start.S with main's result.
@_cdecl("sv_user_exit")
func userExit(_ status: Int32) -> Never {
    System.exit(status)
}
