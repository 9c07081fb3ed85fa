// Unix.swift — the Unix process calls for Swift programs (sv_syscall.h 28–36): descriptors, pipes,
// fork, exec of an ELF image in memory, waitpid. Results are Result<…, Errno>; raw pointers stay
// in this file.
import ABI
import UserRuntime

public enum Unix {
    static func result(_ r: Int64) -> Result<Int, Errno> {
        r < 0 ? .failure(Errno(Int32(-r))) : .success(Int(r))
    }

    public static func read(_ fd: Int32, into buffer: inout [UInt8], count: Int? = nil) -> Result<Int, Errno> {
        let n = min(count ?? buffer.count, buffer.count)
        // SAFETY: the kernel writes at most `n` ≤ buffer.count bytes into the array's storage.
        return buffer.withUnsafeMutableBytes { b in
            result(sv_syscall3(Int64(SV_SYS_READ), UInt64(bitPattern: Int64(fd)), UInt64(UInt(bitPattern: b.baseAddress)), UInt64(n)))
        }
    }

    public static func write(_ fd: Int32, _ bytes: [UInt8]) -> Result<Int, Errno> {
        // SAFETY: the kernel reads exactly bytes.count bytes of the array's storage.
        bytes.withUnsafeBytes { b in
            result(sv_syscall3(Int64(SV_SYS_WRITE), UInt64(bitPattern: Int64(fd)), UInt64(UInt(bitPattern: b.baseAddress)), UInt64(b.count)))
        }
    }

    /// Writes all of `bytes` (a pipe may take them in several pieces).
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Result<Void, Errno> {
        var done = 0
        while done < bytes.count {
            switch write(fd, Array(bytes[done...])) {
            case .failure(let e): return .failure(e)
            case .success(let n): done += n
            }
        }
        return .success(())
    }

    public static func close(_ fd: Int32) -> Result<Int, Errno> { result(sv_syscall1(Int64(SV_SYS_CLOSE), UInt64(bitPattern: Int64(fd)))) }
    public static func dup(_ fd: Int32) -> Result<Int, Errno> { result(sv_syscall1(Int64(SV_SYS_DUP), UInt64(bitPattern: Int64(fd)))) }

    /// dup2(old, new): `new` becomes a copy of `old` (dup3 with dup2's rule for old == new).
    public static func dup2(_ old: Int32, _ new: Int32, closeOnExec: Bool = false) -> Result<Int, Errno> {
        result(sv_syscall3(Int64(SV_SYS_DUP3), UInt64(bitPattern: Int64(old)), UInt64(bitPattern: Int64(new)),
                           closeOnExec ? UInt64(SV_O_CLOEXEC) : 0))
    }

    public static func fcntl(_ fd: Int32, _ command: Int32, _ argument: UInt64 = 0) -> Result<Int, Errno> {
        result(sv_syscall3(Int64(SV_SYS_FCNTL), UInt64(bitPattern: Int64(fd)), UInt64(bitPattern: Int64(command)), argument))
    }

    /// pipe2(flags): (read end, write end).
    public static func pipe(flags: Int32 = 0) -> Result<(reader: Int32, writer: Int32), Errno> {
        var fds: (Int32, Int32) = (-1, -1)
        // SAFETY: the kernel stores two int32s into the local tuple.
        let r = withUnsafeMutablePointer(to: &fds) { sv_syscall2(Int64(SV_SYS_PIPE), UInt64(UInt(bitPattern: $0)), UInt64(flags)) }
        return result(r).map { _ in (fds.0, fds.1) }
    }

    /// fork(): the child's pid in the parent, 0 in the child.
    public static func fork() -> Result<Int, Errno> { result(sv_syscall0(Int64(SV_SYS_FORK))) }

    public static func getppid() -> Int { Int(sv_syscall0(Int64(SV_SYS_GETPPID))) }

    /// exec: replaces this program with the ELF `image`; returns only on failure.
    /// `environment`: NUL-terminated NAME=value strings; nil keeps this process's.
    public static func exec(image: [UInt8], arguments: [String], environment: [UInt8]? = nil) -> Errno {
        var environment = environment ?? []
        if environment.isEmpty {
            for (name, value) in Environment.all() { environment += Array("\(name)=\(value)".utf8) + [0] }
        }
        var argumentBlock: [UInt8] = []
        for a in arguments { argumentBlock += Array(a.utf8) + [0] }
        StandardOutput.flush()
        // SAFETY: every pointer handed to the kernel is an array's storage, alive for the call.
        let r = image.withUnsafeBytes { img in
            argumentBlock.withUnsafeBytes { args in
                environment.withUnsafeBytes { env in
                    var request = sv_exec(image: UInt64(UInt(bitPattern: img.baseAddress)), image_length: UInt64(img.count),
                                          arguments: UInt64(UInt(bitPattern: args.baseAddress)), arguments_length: UInt64(args.count),
                                          environment: UInt64(UInt(bitPattern: env.baseAddress)), environment_length: UInt64(env.count))
                    return withUnsafeMutablePointer(to: &request) { sv_syscall1(Int64(SV_SYS_EXEC), UInt64(UInt(bitPattern: $0))) }
                }
            }
        }
        return Errno(Int32(-r))
    }

    /// A waitpid status word (POSIX <sys/wait.h>).
    public struct Status: Equatable {
        public let raw: Int32
        public var exited: Bool { raw & 0x7f == 0 }
        public var exitCode: Int { Int((raw >> 8) & 0xff) }
        public var signaled: Bool { raw & 0x7f != 0 && raw & 0x7f != 0x7f }
        public var signal: Int { Int(raw & 0x7f) }
        /// Stopped (waitpid with WUNTRACED): 0x7f | signal << 8.
        public var stopped: Bool { raw & 0xff == 0x7f }
        public var stopSignal: Int { Int((raw >> 8) & 0xff) }
        /// Continued (waitpid with WCONTINUED).
        public var continued: Bool { raw == 0xffff }
    }

    /// waitpid(pid, options): (pid, status); pid 0 with WNOHANG when no child has ended.
    public static func waitpid(_ pid: Int, options: Int32 = 0) -> Result<(pid: Int, status: Status), Errno> {
        var status: Int32 = 0
        // SAFETY: the kernel stores one int32 into the local.
        let r = withUnsafeMutablePointer(to: &status) {
            sv_syscall3(Int64(SV_SYS_WAITPID), UInt64(bitPattern: Int64(pid)), UInt64(UInt(bitPattern: $0)), UInt64(options))
        }
        return result(r).map { ($0, Status(raw: status)) }
    }
}

extension Unix {
    /// mmap of private anonymous memory: its address.
    public static func mapAnonymous(length: Int, protection: Int32 = SV_PROT_READ | SV_PROT_WRITE, at address: UInt64? = nil) -> Result<UInt64, Errno> {
        var flags = SV_MAP_PRIVATE | SV_MAP_ANONYMOUS
        if address != nil { flags |= SV_MAP_FIXED }
        let r = sv_syscall4(Int64(SV_SYS_MMAP), address ?? 0, UInt64(length), UInt64(protection), UInt64(flags))
        return r < 0 ? .failure(Errno(Int32(-r))) : .success(UInt64(bitPattern: r))
    }

    /// The raw mmap call, for tests of its argument checks.
    public static func mmap(_ address: UInt64, _ length: UInt64, _ protection: Int32, _ flags: Int32) -> Result<UInt64, Errno> {
        let r = sv_syscall4(Int64(SV_SYS_MMAP), address, length, UInt64(bitPattern: Int64(protection)), UInt64(bitPattern: Int64(flags)))
        return r < 0 ? .failure(Errno(Int32(-r))) : .success(UInt64(bitPattern: r))
    }

    public static func munmap(_ address: UInt64, length: Int) -> Result<Int, Errno> {
        result(sv_syscall2(Int64(SV_SYS_MUNMAP), address, UInt64(length)))
    }

    public static func mprotect(_ address: UInt64, length: Int, protection: Int32) -> Result<Int, Errno> {
        result(sv_syscall3(Int64(SV_SYS_MPROTECT), address, UInt64(length), UInt64(protection)))
    }

    /// brk(address): the break after the call (0 asks where it is).
    public static func brk(_ address: UInt64) -> UInt64 { UInt64(bitPattern: sv_syscall1(Int64(SV_SYS_BRK), address)) }
}

extension Unix {
    /// clock_gettime(clock): (seconds, nanoseconds).
    public static func clock(_ id: Int32) -> Result<(seconds: Int64, nanoseconds: Int64), Errno> {
        var spec = sv_timespec()
        // SAFETY: the kernel stores one sv_timespec into the local.
        let r = withUnsafeMutablePointer(to: &spec) { sv_syscall2(Int64(SV_SYS_CLOCK_GETTIME), UInt64(bitPattern: Int64(id)), UInt64(UInt(bitPattern: $0))) }
        return result(r).map { _ in (spec.tv_sec, spec.tv_nsec) }
    }
}

extension Unix {
    /// Where a command name is looked up: PATH, or the system's directories.
    public static var searchPath: [String] {
        (Environment.get("PATH") ?? "/bin:/usr/bin").split(separator: ":").map { String($0) }
    }

    /// Whether `path` may be executed: a regular file with an execute bit (no users yet: any of
    /// the three). EACCES otherwise (a directory, or no x bit), as execve(2) says.
    public static func executable(_ path: String) -> Result<Void, Errno> {
        switch stat(path) {
        case .failure(let e): return .failure(e)
        case .success(let s):
            guard s.isRegular, mayExecute(s) else { return .failure(Errno(SV_EACCES)) }
            return .success(())
        }
    }

    /// XSH 4.5 for execute: root needs some x bit; others the x bit of the owner's, group's or
    /// others' triple, whichever applies. (exec runs an image from memory, so this is the C
    /// library's courtesy, as the file server's read permission is the boundary.)
    static func mayExecute(_ s: FileStatus) -> Bool {
        let euid = Credentials.geteuid()
        if euid == 0 { return s.mode & 0o111 != 0 }
        let groups = Credentials.getgroups()
        let shift: UInt32 = euid == s.uid ? 6 : (Credentials.getegid() == s.gid || groups.contains(s.gid)) ? 3 : 0
        return (s.mode >> shift) & 1 != 0
    }

    /// The file `command` names: itself if it contains a slash, else the first regular file of
    /// that name in the search path (POSIX XCU 2.9.1.1). ENOENT if there is none.
    public static func resolve(_ command: String) -> Result<String, Errno> {
        if command.utf8.contains(UInt8(ascii: "/")) { return .success(command) }
        var found = SV_ENOENT
        for directory in searchPath where !directory.isEmpty {
            let candidate = directory.hasSuffix("/") ? directory + command : directory + "/" + command
            switch executable(candidate) {
            case .success: return .success(candidate)
            case .failure(let e) where e.code == SV_EACCES: found = SV_EACCES   // POSIX: search on, report EACCES
            case .failure: continue
            }
        }
        return .failure(Errno(found))
    }

    /// execve from the filesystem: reads the program at `path` (after a PATH search when it has
    /// no slash) and runs it; a file starting with `#!` runs its interpreter with the script's
    /// path inserted (`#!INTERPRETER [ONE-ARGUMENT]`, as Linux does, up to four levels). Returns
    /// only on failure.
    public static func execve(_ path: String, arguments: [String], environment: [UInt8]? = nil) -> Errno {
        var file: String
        switch resolve(path) {
        case .failure(let e): return e
        case .success(let f): file = f
        }
        var argv = arguments.isEmpty ? [path] : arguments
        for _ in 0..<5 {
            if case .failure(let e) = executable(file) { return e }
            let image: [UInt8]
            switch Files.read(file) {
            case .failure(let e): return e
            case .success(let bytes): image = bytes
            }
            guard image.count >= 2, image[0] == UInt8(ascii: "#"), image[1] == UInt8(ascii: "!") else {
                return exec(image: image, arguments: argv, environment: environment)
            }
            // "#!interpreter [argument]\n": at most one argument, the rest of the line.
            let line = image.dropFirst(2).prefix { $0 != UInt8(ascii: "\n") }.prefix(255)
            let words = line.split(maxSplits: 1, whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            guard let interpreter = words.first.map({ String(decoding: $0, as: UTF8.self) }) else { return Errno(SV_ENOEXEC) }
            var newArguments = [interpreter]
            if words.count > 1 {
                // Linux passes the rest of the line as one argument, blanks around it removed.
                var rest = Array(words[1].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
                while let last = rest.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") || last == UInt8(ascii: "\r") { rest.removeLast() }
                if !rest.isEmpty { newArguments.append(String(decoding: rest, as: UTF8.self)) }
            }
            newArguments.append(file)
            newArguments += argv.dropFirst()
            argv = newArguments
            file = interpreter
        }
        return Errno(SV_ELOOP)
    }
}

extension Unix {
    /// The machine's page frames: (free, total).
    public static func memoryInfo() -> (free: UInt64, total: UInt64)? {
        var info = sv_memory_info()
        // SAFETY: the kernel stores one sv_memory_info into the local.
        let r = withUnsafeMutablePointer(to: &info) { sv_syscall1(Int64(SV_SYS_MEMORY_INFO), UInt64(UInt(bitPattern: $0))) }
        return r == 0 ? (info.free_frames, info.total_frames) : nil
    }
}

extension Unix {
    /// write with a length of the caller's choosing (for tests of the kernel's checks): the
    /// kernel may read past `bytes`.
    public static func rawWrite(_ fd: Int32, _ bytes: [UInt8], length: UInt64) -> Result<Int, Errno> {
        // SAFETY: deliberately unsafe for the kernel's sake; this process's memory is only read.
        bytes.withUnsafeBytes { b in
            result(sv_syscall3(Int64(SV_SYS_WRITE), UInt64(bitPattern: Int64(fd)), UInt64(UInt(bitPattern: b.baseAddress)), length))
        }
    }

    /// read with a length of the caller's choosing (for tests of the kernel's checks): the kernel
    /// may write past `buffer` as far as there is data, so call it only where none can come.
    public static func rawRead(_ fd: Int32, into buffer: inout [UInt8], length: UInt64) -> Result<Int, Errno> {
        // SAFETY: see above; the caller makes sure nothing more than the buffer can be read.
        buffer.withUnsafeMutableBytes { b in
            result(sv_syscall3(Int64(SV_SYS_READ), UInt64(bitPattern: Int64(fd)), UInt64(UInt(bitPattern: b.baseAddress)), length))
        }
    }
}

// ---- signals, process groups and sessions (sv_syscall.h 15, 53–62; docs/SIGNALS.md) ----
extension Unix {
    /// kill(pid, signal): pid > 0 one process, 0 this process's group, -1 all but init and this
    /// process, < -1 the group -pid; signal 0 only checks that a target exists.
    public static func kill(_ pid: Int, signal: Int32) -> Result<Int, Errno> {
        result(sv_syscall2(Int64(SV_SYS_KILL), UInt64(bitPattern: Int64(pid)), UInt64(bitPattern: Int64(signal))))
    }

    /// Ignores `signal` (true) or restores its default action (false). Handlers need a restorer
    /// (the C library's sigaction has one); Swift programs ignore or take the default.
    public static func ignoreSignal(_ signal: Int32, _ ignore: Bool) -> Result<Int, Errno> {
        var action = sv_sigaction(handler: ignore ? 1 : 0, flags: 0, restorer: 0, mask: 0)
        // SAFETY: the kernel reads one sv_sigaction from the local.
        let r = withUnsafeMutablePointer(to: &action) {
            sv_syscall3(Int64(SV_SYS_SIGACTION), UInt64(bitPattern: Int64(signal)), UInt64(UInt(bitPattern: $0)), 0)
        }
        return result(r)
    }

    /// Catches `signal` with UserRuntime's recorder (sv_user_signal_record: it only sets the
    /// signal's bit; collect them with `takeCaughtSignals`). No SA_RESTART: a blocking wait the
    /// signal interrupts ends with EINTR, so the program can act on it (a shell's `wait`).
    public static func catchSignal(_ signal: Int32) -> Result<Int, Errno> {
        let handler: @convention(c) (Int32) -> Void = sv_user_signal_record
        let restorer: @convention(c) () -> Void = sv_user_restore_rt
        let saRestorer: UInt64 = 0x0400_0000   // Linux's SA_RESTORER (docs/SIGNALS.md)
        var action = sv_sigaction(handler: UInt64(UInt(bitPattern: unsafeBitCast(handler, to: Int.self))), flags: saRestorer,
                                  restorer: UInt64(UInt(bitPattern: unsafeBitCast(restorer, to: Int.self))), mask: 0)
        // SAFETY: the kernel reads one sv_sigaction from the local.
        let r = withUnsafeMutablePointer(to: &action) {
            sv_syscall3(Int64(SV_SYS_SIGACTION), UInt64(bitPattern: Int64(signal)), UInt64(UInt(bitPattern: $0)), 0)
        }
        return result(r)
    }

    /// The signals the recorder caught since the last call (bit s-1 for signal s); clears them.
    public static func takeCaughtSignals() -> UInt64 { sv_user_take_caught_signals() }

    /// The current handler of `signal`: 0 default, 1 ignored, anything else a handler's address.
    public static func signalHandler(_ signal: Int32) -> Result<UInt64, Errno> {
        var old = sv_sigaction(handler: 0, flags: 0, restorer: 0, mask: 0)
        // SAFETY: the kernel writes one sv_sigaction into the local.
        let r = withUnsafeMutablePointer(to: &old) {
            sv_syscall3(Int64(SV_SYS_SIGACTION), UInt64(bitPattern: Int64(signal)), 0, UInt64(UInt(bitPattern: $0)))
        }
        return result(r).map { _ in old.handler }
    }

    /// sigprocmask(how, set): the previous mask (bit s-1 for signal s). `set` nil only reads it.
    public static func signalMask(_ how: Int32 = SV_SIG_BLOCK, _ set: UInt64?) -> Result<UInt64, Errno> {
        var new = set ?? 0
        var old: UInt64 = 0
        // SAFETY: the kernel reads and writes one UInt64 each, both locals alive for the call.
        let r = withUnsafeMutablePointer(to: &new) { n in
            withUnsafeMutablePointer(to: &old) { o in
                sv_syscall3(Int64(SV_SYS_SIGPROCMASK), UInt64(bitPattern: Int64(how)),
                            set == nil ? 0 : UInt64(UInt(bitPattern: n)), UInt64(UInt(bitPattern: o)))
            }
        }
        return result(r).map { _ in old }
    }

    /// The blocked signals that are pending.
    public static func pendingSignals() -> UInt64 {
        var set: UInt64 = 0
        // SAFETY: the kernel stores one UInt64 into the local.
        _ = withUnsafeMutablePointer(to: &set) { sv_syscall1(Int64(SV_SYS_SIGPENDING), UInt64(UInt(bitPattern: $0))) }
        return set
    }

    /// alarm: SIGALRM after `nanoseconds` (0 cancels); what the previous alarm had left.
    public static func alarm(nanoseconds: UInt64) -> UInt64 { UInt64(bitPattern: sv_syscall1(Int64(SV_SYS_ALARM), nanoseconds)) }

    public static func setpgid(_ pid: Int, _ pgid: Int) -> Result<Int, Errno> {
        result(sv_syscall2(Int64(SV_SYS_SETPGID), UInt64(bitPattern: Int64(pid)), UInt64(bitPattern: Int64(pgid))))
    }
    /// getpgid(pid) (0: this process).
    public static func getpgid(_ pid: Int) -> Result<Int, Errno> { result(sv_syscall1(Int64(SV_SYS_GETPGID), UInt64(bitPattern: Int64(pid)))) }
    /// setsid(): the new session's id.
    public static func setsid() -> Result<Int, Errno> { result(sv_syscall0(Int64(SV_SYS_SETSID))) }
    /// getsid(pid) (0: this process).
    public static func getsid(_ pid: Int) -> Result<Int, Errno> { result(sv_syscall1(Int64(SV_SYS_GETSID), UInt64(bitPattern: Int64(pid)))) }
}
