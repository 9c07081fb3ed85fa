// FileCalls.swift — the file system calls (sv_syscall.h 43–50) and read/write on descriptors for
// served files and kernel devices. Each checks the caller's pointers here, routes paths through
// KernelCore's Routes, and hands the call to KernelCore's forwarding (RemoteFiles.swift), which
// sends it to the owning server with the caller's buffer as the lease: one request however large
// the buffer, no copy through the kernel.
import ABI
import Arch
import KernelCore
import RuntimeSupport

enum FileCalls {
    /// A buffer the call may use: inside user space (the server's lease copies check each page).
    /// The length is clamped to user space first, as for pipes (PipeIO.start).
    static func buffer(_ t: UserThread, _ address: UInt64, _ length: UInt64) -> UInt64? {
        let length = min(length, UInt64(SV_USER_END))
        do { try t.userMemory.checkRange(address, length) } catch { return nil }
        return length
    }

    /// The path argument, normalised; EFAULT, ENAMETOOLONG, or EINVAL for a relative path.
    static func path(_ t: UserThread, _ address: UInt64, _ length: UInt64) -> Result<[UInt8], KernelError> {
        guard length > 0 else { return .failure(.init(SV_ENOENT)) }
        guard length <= UInt64(SV_FS_PATH_MAX) else { return .failure(.init(SV_ENAMETOOLONG)) }
        guard let bytes = try? t.userMemory.bytes(at: address, count: Int(length)) else { return .failure(.init(SV_EFAULT)) }
        guard !bytes.contains(0) else { return .failure(.init(SV_EINVAL)) }
        guard let normalized = Routes.normalize(bytes) else { return .failure(.init(SV_EINVAL)) }
        guard normalized.count <= Int(SV_FS_PATH_MAX) else { return .failure(.init(SV_ENAMETOOLONG)) }
        return .success(normalized)
    }

    static func blocked(_ r: Result<Void, KernelError>) -> UInt64? {
        if case .failure(let e) = r { return e.result }
        return nil
    }

    // ---- open ----

    static let knownOpenFlags = UInt64(SV_O_ACCMODE | SV_O_CREAT | SV_O_EXCL | SV_O_NOCTTY | SV_O_TRUNC | SV_O_APPEND
                                       | SV_O_NONBLOCK | SV_O_DIRECTORY | SV_O_NOFOLLOW | SV_O_CLOEXEC)

    /// open(path, len, flags, mode); nil when the server's reply completes it.
    static func open(_ t: UserThread, path address: UInt64, length: UInt64, flags: UInt64, mode: UInt64) -> UInt64? {
        // Flags the kernel does not know are ignored, as Linux does (O_LARGEFILE, O_NOATIME, …).
        let flags = flags & knownOpenFlags
        guard flags & UInt64(SV_O_ACCMODE) != 3 else { return Syscalls.errno(SV_EINVAL) }
        let normalized: [UInt8]
        switch path(t, address, length) {
        case .failure(let e): return e.result
        case .success(let p): normalized = p
        }
        let p = t.process
        guard p.descriptors.openCount < DescriptorTable.maximum else { return Syscalls.errno(SV_EMFILE) }
        let statusFlags = UInt32(flags) & UInt32(SV_O_ACCMODE | SV_O_APPEND | SV_O_NONBLOCK)
        let closeOnExec = flags & UInt64(SV_O_CLOEXEC) != 0
        let route: Route
        switch Routes.route(normalized) {
        case .failure(let e): return e.result
        case .success(let r): route = r
        }
        let kind: OpenFileKind
        switch route {
        case .device(let d): kind = .device(d)
        case .console:
            // The terminal server's, once one attached (ConsoleServer.swift); the kernel console before.
            if let server = kernel.consoleServer {
                let service = server.name
                let request = KernelState.pathRequest(SV_FS_OPEN, path: normalized, a: flags, b: 0)
                return blocked(kernel.forward(t, service: service, request: request,
                                              purpose: .open(service: service, statusFlags: statusFlags, closeOnExec: closeOnExec)))
            }
            kind = .console
        case .deviceDirectory: return Syscalls.errno(flags & UInt64(SV_O_ACCMODE) == 0 ? SV_ENOSYS : SV_EISDIR)
        case .service(let service, let served):
            let request = KernelState.pathRequest(SV_FS_OPEN, path: served, a: flags, b: mode & 0o7777)
            return blocked(kernel.forward(t, service: service, request: request,
                                          purpose: .open(service: service, statusFlags: statusFlags, closeOnExec: closeOnExec)))
        }
        guard flags & UInt64(SV_O_DIRECTORY) == 0 else { return Syscalls.errno(SV_ENOTDIR) }
        return Syscalls.result(kernel.open(p, kind, statusFlags: statusFlags, closeOnExec: closeOnExec).map { UInt64($0) })
    }

    // ---- read and write on served files and kernel devices ----

    static func read(_ t: UserThread, _ file: OpenFile, _ remote: RemoteFile, buffer address: UInt64, length: UInt64) -> UInt64? {
        guard !remote.isDirectory else { return Syscalls.errno(SV_EISDIR) }
        guard let length = buffer(t, address, length) else { return Syscalls.errno(SV_EFAULT) }
        if length == 0 { return 0 }
        let request = KernelState.handleRequest(SV_FS_HREAD, handle: remote.handle, offset: remote.offset, count: length)
        return blocked(kernel.forward(t, service: remote.service, request: request, leaseAddress: address, leaseLength: length,
                                      leaseFlags: UInt64(SV_LEASE_WRITE), purpose: .read(remote, requested: length)))
    }

    static func write(_ t: UserThread, _ file: OpenFile, _ remote: RemoteFile, buffer address: UInt64, length: UInt64) -> UInt64? {
        guard let length = buffer(t, address, length) else { return Syscalls.errno(SV_EFAULT) }
        let append = file.statusFlags & UInt32(SV_O_APPEND) != 0
        if length == 0 { return 0 }
        let request = KernelState.handleRequest(SV_FS_HWRITE, handle: remote.handle, offset: remote.offset, count: length,
                                                flags: append ? SV_FS_FLAG_APPEND : 0)
        return blocked(kernel.forward(t, service: remote.service, request: request, leaseAddress: address, leaseLength: length,
                                      leaseFlags: UInt64(SV_LEASE_READ), purpose: .write(remote, requested: length, append: append)))
    }

    /// read from a kernel device: nothing (null), zeros (zero, full) or random bytes.
    static func read(_ t: UserThread, device: KernelDevice, buffer address: UInt64, length: UInt64) -> UInt64 {
        guard let length = buffer(t, address, length) else { return Syscalls.errno(SV_EFAULT) }
        if device == .null { return 0 }
        // At most 1 MiB a call (a short read, as Linux gives for /dev/urandom beyond 32 MiB).
        let total = min(length, 1 << 20)
        var done: UInt64 = 0
        var chunk = [UInt8](repeating: 0, count: 4096)
        while done < total {
            let n = Int(min(total - done, UInt64(chunk.count)))
            if device == .random { KernelRandom.fill(&chunk, count: n) }
            guard (try? t.userMemory.store(Array(chunk.prefix(n)), at: address + done)) != nil else {
                return done > 0 ? done : Syscalls.errno(SV_EFAULT)
            }
            done += UInt64(n)
        }
        return done
    }

    static func write(_ t: UserThread, device: KernelDevice, buffer address: UInt64, length: UInt64) -> UInt64 {
        guard let length = buffer(t, address, length) else { return Syscalls.errno(SV_EFAULT) }
        return device == .full ? Syscalls.errno(SV_ENOSPC) : length
    }

    // ---- the other calls on descriptors ----

    static func remote(_ t: UserThread, _ fd: UInt64) -> Result<(OpenFile, RemoteFile?), KernelError> {
        guard fd <= UInt64(Int32.max), let file = t.process.descriptors.file(Int32(fd)) else { return .failure(.init(SV_EBADF)) }
        if case .remote(let r) = file.kind { return .success((file, r)) }
        return .success((file, nil))
    }

    /// lseek(fd, offset, whence): SEEK_SET and SEEK_CUR here; SEEK_END asks the server the size.
    static func lseek(_ t: UserThread, fd: UInt64, offset: UInt64, whence: UInt64) -> UInt64? {
        let file: OpenFile, r: RemoteFile?
        switch remote(t, fd) {
        case .failure(let e): return e.result
        case .success(let pair): (file, r) = pair
        }
        guard let remote = r else {
            if case .device = file.kind { return 0 }   // Linux: seeking /dev/null or /dev/zero succeeds at 0
            return Syscalls.errno(SV_ESPIPE)
        }
        let delta = Int64(bitPattern: offset)
        switch whence {
        case UInt64(SV_SEEK_SET), UInt64(SV_SEEK_CUR):
            return Syscalls.result(kernel.seek(remote, delta: delta, fromCurrent: whence == UInt64(SV_SEEK_CUR)))
        case UInt64(SV_SEEK_END):
            guard !remote.isDirectory else { return Syscalls.errno(SV_EINVAL) }
            let request = KernelState.handleRequest(SV_FS_HSTAT, handle: remote.handle)
            return blocked(kernel.forward(t, service: remote.service, request: request, purpose: .seekEnd(remote, delta: delta)))
        default:
            return Syscalls.errno(SV_EINVAL)
        }
    }

    static func statBuffer(_ t: UserThread, _ address: UInt64) -> Bool {
        (try? t.userMemory.checkRange(address, UInt64(MemoryLayout<sv_stat>.size))) != nil
    }

    static func store(_ t: UserThread, _ bytes: [UInt8], at address: UInt64) -> UInt64 {
        (try? t.userMemory.store(bytes, at: address)) != nil ? 0 : Syscalls.errno(SV_EFAULT)
    }

    /// fstat(fd, struct sv_stat *).
    static func fstat(_ t: UserThread, fd: UInt64, out address: UInt64) -> UInt64? {
        guard statBuffer(t, address) else { return Syscalls.errno(SV_EFAULT) }
        switch remote(t, fd) {
        case .failure(let e): return e.result
        case .success(let (file, r)):
            guard let remote = r else { return store(t, KernelState.statBytes(of: file.kind) ?? [], at: address) }
            let request = KernelState.handleRequest(SV_FS_HSTAT, handle: remote.handle)
            return blocked(kernel.forward(t, service: remote.service, request: request, purpose: .stat(address: address)))
        }
    }

    /// stat(path, len, struct sv_stat *).
    static func stat(_ t: UserThread, path address: UInt64, length: UInt64, out: UInt64) -> UInt64? {
        guard statBuffer(t, out) else { return Syscalls.errno(SV_EFAULT) }
        let route: Route
        switch path(t, address, length).flatMap({ Routes.route($0) }) {
        case .failure(let e): return e.result
        case .success(let r): route = r
        }
        guard case .service(let service, let served) = route else {
            return store(t, KernelState.statBytes(of: route) ?? [], at: out)
        }
        let request = KernelState.pathRequest(SV_FS_STAT, path: served)
        return blocked(kernel.forward(t, service: service, request: request, purpose: .stat(address: out)))
    }

    /// ftruncate(fd, length): EINVAL unless open for writing (Linux), or on a pipe or device.
    static func ftruncate(_ t: UserThread, fd: UInt64, length: UInt64) -> UInt64? {
        switch remote(t, fd) {
        case .failure(let e): return e.result
        case .success(let (file, r)):
            guard let remote = r, file.mayWrite, !remote.isDirectory, length <= UInt64(Int64.max) else { return Syscalls.errno(SV_EINVAL) }
            let request = KernelState.handleRequest(SV_FS_HTRUNCATE, handle: remote.handle, offset: length)
            return blocked(kernel.forward(t, service: remote.service, request: request, purpose: .status))
        }
    }

    /// fsync(fd): the server makes what was written durable before it replies. EINVAL for a pipe
    /// or the console (Linux), 0 for a kernel device.
    static func fsync(_ t: UserThread, fd: UInt64) -> UInt64? {
        switch remote(t, fd) {
        case .failure(let e): return e.result
        case .success(let (file, r)):
            guard let remote = r else {
                if case .device = file.kind { return 0 }
                return Syscalls.errno(SV_EINVAL)
            }
            let request = KernelState.handleRequest(SV_FS_HSYNC, handle: remote.handle)
            return blocked(kernel.forward(t, service: remote.service, request: request, purpose: .status))
        }
    }

    /// getdents64(fd, buffer, length).
    static func getdents(_ t: UserThread, fd: UInt64, buffer address: UInt64, length: UInt64) -> UInt64? {
        switch remote(t, fd) {
        case .failure(let e): return e.result
        case .success(let (_, r)):
            guard let remote = r, remote.isDirectory else { return Syscalls.errno(SV_ENOTDIR) }
            guard let length = buffer(t, address, length) else { return Syscalls.errno(SV_EFAULT) }
            guard length >= 32 else { return Syscalls.errno(SV_EINVAL) }
            let request = KernelState.handleRequest(SV_FS_HREADDIR, handle: remote.handle, offset: remote.offset, count: length)
            return blocked(kernel.forward(t, service: remote.service, request: request, leaseAddress: address, leaseLength: length,
                                          leaseFlags: UInt64(SV_LEASE_WRITE), purpose: .readDirectory(remote, requested: length)))
        }
    }

    /// ipc_handles(out, max): for a restarted server (RemoteFiles.openHandles).
    static func openHandles(_ t: UserThread, out: UInt64, maximum: UInt64) -> UInt64 {
        let handles = kernel.openHandles(t.process)
        let n = min(UInt64(handles.count), maximum)
        guard n == 0 || (try? t.userMemory.checkRange(out, n * 8)) != nil else { return Syscalls.errno(SV_EFAULT) }
        for (i, h) in handles.prefix(Int(n)).enumerated() {
            guard (try? t.userMemory.storeUInt64(h, at: out + UInt64(i) * 8)) != nil else { return Syscalls.errno(SV_EFAULT) }
        }
        return UInt64(handles.count)
    }
}

/// The kernel's random bytes for /dev/random and /dev/urandom: a ChaCha20 keystream (RFC 8439
/// §2.3) keyed at first use from RDRAND when the CPU has it, the TSC and the clock. Never
/// blocks, as Linux's getrandom() after boot. Not a substitute for a hardware RNG device.
enum KernelRandom {
    // SAFETY (globals): kernel code runs on one CPU with interrupts off (HOST.md rule 3).
    nonisolated(unsafe) static var key: [UInt32] = []
    nonisolated(unsafe) static var counter: UInt32 = 0
    nonisolated(unsafe) static var nonce: UInt64 = 0

    static func fill(_ out: inout [UInt8], count: Int) {
        if key.isEmpty { seed() }
        var done = 0
        while done < count {
            let block = chachaBlock()
            for word in block where done < count {
                for shift in stride(from: 0, to: 32, by: 8) where done < count {
                    out[done] = UInt8(truncatingIfNeeded: word >> UInt32(shift))
                    done += 1
                }
            }
        }
    }

    static func seed() {
        var material: [UInt64] = [sv_rdtsc(), UInt64(bitPattern: Clock.realtimeAtBoot), Clock.nanoseconds()]
        for _ in 0..<4 {
            var value: UInt64 = 0
            if sv_rdrand64(&value) != 0 { material.append(value) }
            material.append(sv_rdtsc())
        }
        // Spread the material over the 256-bit key with SplitMix64 (its avalanche, not secrecy).
        var state: UInt64 = 0
        for m in material { state ^= m; state = SeedBytes.splitMix64(&state) }
        key = []
        for _ in 0..<4 {
            let v = SeedBytes.splitMix64(&state)
            key.append(UInt32(truncatingIfNeeded: v))
            key.append(UInt32(truncatingIfNeeded: v >> 32))
        }
        nonce = SeedBytes.splitMix64(&state)
    }

    static func chachaBlock() -> [UInt32] {
        var s: [UInt32] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574] + key
            + [counter, 0, UInt32(truncatingIfNeeded: nonce), UInt32(truncatingIfNeeded: nonce >> 32)]
        counter &+= 1
        if counter == 0 { nonce &+= 1 }
        let initial = s
        func quarter(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
            s[a] &+= s[b]; s[d] ^= s[a]; s[d] = s[d] << 16 | s[d] >> 16
            s[c] &+= s[d]; s[b] ^= s[c]; s[b] = s[b] << 12 | s[b] >> 20
            s[a] &+= s[b]; s[d] ^= s[a]; s[d] = s[d] << 8 | s[d] >> 24
            s[c] &+= s[d]; s[b] ^= s[c]; s[b] = s[b] << 7 | s[b] >> 25
        }
        for _ in 0..<10 {
            quarter(0, 4, 8, 12); quarter(1, 5, 9, 13); quarter(2, 6, 10, 14); quarter(3, 7, 11, 15)
            quarter(0, 5, 10, 15); quarter(1, 6, 11, 12); quarter(2, 7, 8, 13); quarter(3, 4, 9, 14)
        }
        for i in 0..<16 { s[i] &+= initial[i] }
        return s
    }
}
