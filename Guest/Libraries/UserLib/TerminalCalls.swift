// TerminalCalls.swift — the terminal's system calls for Swift programs (sv_syscall.h 70–72):
// ioctl on a terminal descriptor (sv_tty.h's requests, each with its struct's bytes), and the
// console server's two calls (attach its endpoint, write the console device in batches).
import ABI
import UserRuntime

public enum TerminalCalls {
    /// ioctl(fd, request, bytes): the kernel lends `bytes` (the request's struct, sized as sv_tty.h
    /// says) to the terminal server, which reads or fills it.
    public static func ioctl(_ fd: Int32, _ request: UInt32, _ bytes: inout [UInt8]) -> Result<Int, Errno> {
        // SAFETY: the array's storage is valid for the call; the kernel checks the request's size
        // against this process's memory, and the server touches at most that many bytes.
        let r = bytes.withUnsafeMutableBytes { b in
            sv_syscall3(Int64(SV_SYS_IOCTL), UInt64(bitPattern: Int64(fd)), UInt64(request), UInt64(UInt(bitPattern: b.baseAddress)))
        }
        return Unix.result(r)
    }

    /// ioctl(fd, request, value) for requests whose argument is an int, not a pointer (TIOCSCTTY).
    public static func ioctl(_ fd: Int32, _ request: UInt32, value: UInt64) -> Result<Int, Errno> {
        Unix.result(sv_syscall3(Int64(SV_SYS_IOCTL), UInt64(bitPattern: Int64(fd)), UInt64(request), value))
    }

    /// tcgetattr's bytes (struct sv_termios, 36), or ENOTTY.
    public static func getAttributes(_ fd: Int32) -> Result<[UInt8], Errno> {
        var bytes = [UInt8](repeating: 0, count: MemoryLayout<sv_termios>.size)
        return ioctl(fd, UInt32(SV_TCGETS), &bytes).map { _ in bytes }
    }

    /// tcsetattr with TCSETS, TCSETSW or TCSETSF and struct sv_termios's bytes.
    public static func setAttributes(_ fd: Int32, _ request: Int32 = SV_TCSETS, _ termios: [UInt8]) -> Result<Int, Errno> {
        var bytes = termios
        guard bytes.count == MemoryLayout<sv_termios>.size else { return .failure(Errno(SV_EINVAL)) }
        return ioctl(fd, UInt32(request), &bytes)
    }

    /// tcgetpgrp / tcsetpgrp.
    public static func foregroundGroup(_ fd: Int32) -> Result<Int, Errno> {
        var bytes = [UInt8](repeating: 0, count: 4)
        return ioctl(fd, UInt32(SV_TIOCGPGRP), &bytes).map { _ in
            Int(Int32(bitPattern: UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24))
        }
    }
    public static func setForegroundGroup(_ fd: Int32, _ pgid: Int) -> Result<Int, Errno> {
        let v = UInt32(truncatingIfNeeded: pgid)
        var bytes: [UInt8] = [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 24)]
        return ioctl(fd, UInt32(SV_TIOCSPGRP), &bytes)
    }

    /// TIOCGWINSZ: (rows, columns).
    public static func windowSize(_ fd: Int32) -> Result<(rows: Int, columns: Int), Errno> {
        var bytes = [UInt8](repeating: 0, count: MemoryLayout<sv_winsize>.size)
        return ioctl(fd, UInt32(SV_TIOCGWINSZ), &bytes).map { _ in
            (Int(bytes[0]) | Int(bytes[1]) << 8, Int(bytes[2]) | Int(bytes[3]) << 8)
        }
    }

    /// console_attach(endpoint): this process (a driver, serving `endpoint`) becomes the console's server.
    public static func attachConsole(_ endpoint: Int) -> Result<Int, Errno> {
        Unix.result(sv_syscall1(Int64(SV_SYS_CONSOLE_ATTACH), UInt64(bitPattern: Int64(endpoint))))
    }

    /// console_write: the console server's output, to the device.
    @discardableResult
    public static func consoleWrite(_ bytes: [UInt8]) -> Result<Int, Errno> {
        // SAFETY: the array's storage is valid for the call; the kernel reads at most its count.
        let r = bytes.withUnsafeBytes { b in
            sv_syscall2(Int64(SV_SYS_CONSOLE_WRITE), UInt64(UInt(bitPattern: b.baseAddress)), UInt64(b.count))
        }
        return Unix.result(r)
    }
}
