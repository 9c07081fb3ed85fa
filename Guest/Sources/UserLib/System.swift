// System.swift — system calls for ring-3 Swift programs (numbers and convention: sv_syscall.h).
import ABI
import UserRuntime

public enum System {
    /// Writes `bytes` to `fd`; returns the count written or a negative errno.
    @discardableResult
    public static func write(_ fd: Int, _ bytes: UnsafeRawBufferPointer) -> Int {
        Int(sv_syscall3(Int64(SV_SYS_WRITE), UInt64(bitPattern: Int64(fd)),
                        UInt64(UInt(bitPattern: bytes.baseAddress)), UInt64(bytes.count)))
    }

    /// Raw write with an arbitrary address: for tests that hand the kernel bad pointers.
    @discardableResult
    public static func write(_ fd: Int, address: UInt64, length: UInt64) -> Int {
        Int(sv_syscall3(Int64(SV_SYS_WRITE), UInt64(bitPattern: Int64(fd)), address, length))
    }

    public static func getpid() -> Int { Int(sv_syscall0(Int64(SV_SYS_GETPID))) }

    public static func yield() { _ = sv_syscall0(Int64(SV_SYS_YIELD)) }

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
    public static func spawn(_ commandLine: String) -> Int {
        var n = commandLine
        return n.withUTF8 { b in
            Int(sv_syscall2(Int64(SV_SYS_SPAWN), UInt64(UInt(bitPattern: b.baseAddress)), UInt64(b.count)))
        }
    }

    /// Waits for child `pid` (0: any); returns its exit status or a negative errno.
    public static func wait(_ pid: Int) -> Int {
        Int(sv_syscall1(Int64(SV_SYS_WAIT), UInt64(bitPattern: Int64(pid))))
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
