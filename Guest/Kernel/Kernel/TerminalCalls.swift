// TerminalCalls.swift — the terminal's system calls (sv_syscall.h 70–72): ioctl on a descriptor of
// the terminal server, forwarded to it with the request's struct as the lease (sv_tty.h); and the
// two calls of the server itself, which owns the console (KernelCore/ConsoleServer.swift).
import ABI
import Arch
import KernelCore

enum TerminalCalls {
    static let service: [UInt8] = Array(SV_TTY_SERVICE.utf8)

    /// What a request lends the server: bytes of the struct at `arg`, and in which direction
    /// (Linux's sizes, asm-generic/ioctls.h). nil: a request the terminal does not know (ENOTTY).
    static func lease(_ request: UInt64) -> (length: UInt64, flags: Int32)? {
        switch request {
        case UInt64(SV_TCGETS): return (UInt64(MemoryLayout<sv_termios>.size), SV_LEASE_WRITE)
        case UInt64(SV_TCSETS), UInt64(SV_TCSETSW), UInt64(SV_TCSETSF): return (UInt64(MemoryLayout<sv_termios>.size), SV_LEASE_READ)
        case UInt64(SV_TIOCGWINSZ): return (UInt64(MemoryLayout<sv_winsize>.size), SV_LEASE_WRITE)
        case UInt64(SV_TIOCSWINSZ): return (UInt64(MemoryLayout<sv_winsize>.size), SV_LEASE_READ)
        case UInt64(SV_TIOCGPGRP), UInt64(SV_FIONREAD), UInt64(SV_TIOCOUTQ): return (4, SV_LEASE_WRITE)
        case UInt64(SV_TIOCSPGRP): return (4, SV_LEASE_READ)
        case UInt64(SV_TIOCSCTTY), UInt64(SV_TIOCNOTTY): return (0, 0)
        default: return nil
        }
    }

    /// ioctl(fd, request, arg); nil when the server's reply completes it. ENOTTY for anything but
    /// a terminal descriptor — the kernel console included: it has no line discipline, so there
    /// are no modes to get or set (programs treat it as a terminal they cannot configure).
    static func ioctl(_ t: UserThread, fd: UInt64, request: UInt64, argument: UInt64) -> UInt64? {
        guard fd <= UInt64(Int32.max), let file = t.process.descriptors.file(Int32(fd)) else { return Syscalls.errno(SV_EBADF) }
        guard case .remote(let remote) = file.kind, remote.service == service else { return Syscalls.errno(SV_ENOTTY) }
        // The request is 32 bits in Linux's ABI (the upper half is ignored there too).
        let request = request & 0xffff_ffff
        guard let (length, flags) = lease(request) else { return Syscalls.errno(SV_ENOTTY) }
        if length > 0 {
            do { try t.userMemory.checkRange(argument, length) } catch { return Syscalls.errno(SV_EFAULT) }
        }
        let value = request == UInt64(SV_TIOCSCTTY) ? argument & 0xffff_ffff : 0
        let message = KernelState.handleRequest(SV_TTY_IOCTL, handle: remote.handle, offset: request, count: value)
        return FileCalls.blocked(kernel.forward(t, service: remote.service, request: message,
                                                leaseAddress: length > 0 ? argument : 0, leaseLength: length,
                                                leaseFlags: UInt64(flags), purpose: .status))
    }

    /// console_write(buffer, length) by the console server: straight to the console device, in
    /// batches (Console.writeBatch). EPERM for anyone else.
    static func consoleWrite(_ t: UserThread, buffer: UInt64, length: UInt64) -> UInt64 {
        guard kernel.isConsoleServer(t.process.pid) else { return Syscalls.errno(SV_EPERM) }
        let user = t.userMemory
        do { try user.checkRange(buffer, length) } catch { return Syscalls.errno(SV_EFAULT) }
        var done: UInt64 = 0
        while done < length {
            let n = Int(min(length - done, UInt64(SV_CONSOLE_WRITE_MAX)))
            guard let chunk = try? user.bytes(at: buffer + done, count: n) else { break }
            Console.writeBatch(chunk)
            done += UInt64(n)
        }
        Console.flush()
        return done > 0 || length == 0 ? done : Syscalls.errno(SV_EFAULT)
    }
}
