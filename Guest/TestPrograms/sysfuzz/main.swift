// sysfuzz — the in-guest system-call fuzzer (issue 16 §2): several worker processes issue random
// system calls for a fixed time, half with random or mutated arguments (pointers into the kernel,
// into unmapped and non-canonical memory, huge lengths, stray descriptors and pids), half with valid
// ones (real descriptors, mapped buffers, live children, real services) so the deep paths run too.
// The kernel must never panic and every server must stay up or be restarted: at the end the
// fuzzer checks that files, pipes and process starts still work, and prints per system call how
// many calls were made and how many succeeded (a call that never succeeds is a gap in the fuzzer).
//
//   sysfuzz SECONDS [SEED] [WORKERS]      exit status 0: the system was healthy afterwards
//
// A worker that blocks (a read of its own empty pipe, a receive nobody calls) stops sending its
// heartbeat; the parent kills it after `silenceLimit` and starts another with the next seed.
// What the workers may not do, because the fuzzer would then test something else: exit on purpose,
// signal processes that are not their own children (the shell that runs the fuzzer, the servers —
// server kills are the kill tests' job), or open files outside /tmp/sysfuzz and /dev with write
// flags (the image's programs must survive for the health check).
// Deliberately unsafe: raw pointers and addresses are what it fuzzes with (not fenced).
import ABI
import UserLib
import UserRuntime

// MARK: - Random numbers

struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

// MARK: - What a worker holds

let syscallLimit = 80          // numbers 0..<80 are fuzzed (SV_SYS_COUNT grows; the rest must say ENOSYS)
let scratchSize = 64 * 1024
let silenceLimit: UInt64 = 3_000_000_000    // ns without a heartbeat before the parent kills a worker
let heartbeatEvery = 8       // calls between heartbeats: a slow call (a spawn, a fork) under load must not look like a hang
/// Where a worker keeps its heartbeat pipe and (with -v) its original standard output: descriptors
/// no argument pool names, so its own random writes and closes do not garble the tally stream.
let heartbeatDescriptor: Int32 = 250
let diagnostics: Int32 = 251

/// Per system call: calls made, calls that succeeded (the last slot counts numbers past the limit).
/// On the heartbeat pipe each tally is a frame: a magic word, the counts, and an FNV-1a checksum of
/// them, so that bytes a fuzzed call wrote into the pipe (a random descriptor can still name it, or
/// a dup2 onto it) are skipped instead of being read as counts.
struct Tally {
    var calls = [UInt32](repeating: 0, count: syscallLimit + 1)
    var successes = [UInt32](repeating: 0, count: syscallLimit + 1)

    static let magic: UInt32 = 0x5346_555A   // "SFUZ"
    static let wordCount = 2 * (syscallLimit + 1)
    static let byteCount = (wordCount + 2) * 4

    var bytes: [UInt8] {
        var out: [UInt8] = []
        let words = calls + successes
        for v in [Tally.magic] + words + [Tally.checksum(words)] { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        return out
    }

    static func checksum(_ words: [UInt32]) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for w in words { for b in 0..<4 { h = (h ^ ((w >> (8 * UInt32(b))) & 0xff)) &* 16_777_619 } }
        return h
    }

    init() {}
    /// A frame at the start of `bytes`, if it is whole and its magic and checksum hold.
    init?(_ bytes: ArraySlice<UInt8>) {
        guard bytes.count >= Tally.byteCount else { return nil }
        let words = stride(from: bytes.startIndex, to: bytes.startIndex + Tally.byteCount, by: 4).map { i in
            (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[i + $1]) << (8 * UInt32($1)) }
        }
        let counts = Array(words[1...Tally.wordCount])
        guard words[0] == Tally.magic, words[Tally.wordCount + 1] == Tally.checksum(counts) else { return nil }
        calls = Array(counts[0...syscallLimit])
        successes = Array(counts[(syscallLimit + 1)...])
    }
    /// Whether `newer` can follow this tally from the same worker: counts only grow, and no call
    /// succeeded more often than it was made.
    func canPrecede(_ newer: Tally) -> Bool {
        (0...syscallLimit).allSatisfy { newer.calls[$0] >= calls[$0] && newer.successes[$0] >= successes[$0] && newer.successes[$0] <= newer.calls[$0] }
    }
    mutating func add(_ other: Tally) {
        for i in 0...syscallLimit { calls[i] &+= other.calls[i]; successes[i] &+= other.successes[i] }
    }
}

struct Worker {
    var random: Random
    let index: Int
    let scratch: UInt64            // a mapped read-write buffer the valid arguments point into
    var descriptors: [Int32] = []  // descriptors this worker opened (valid fds)
    var pipes: [Int32] = []        // those of them that are pipe ends
    var children: [Int32] = []     // pids it may wait for and signal
    var endpoints: [UInt64] = []   // endpoints of real servers it looked up
    var served: [UInt64] = []      // endpoints it serves (a call to one would wait for itself)
    var tally = Tally()
    let directory: String

    init(index: Int, seed: UInt64) {
        random = Random(state: seed)
        self.index = index
        directory = "/tmp/sysfuzz/w\(index)"
        guard case .success(let a) = Unix.mapAnonymous(length: scratchSize) else { System.exit(3) }
        scratch = a
    }

    // MARK: Argument pools

    mutating func pointer() -> UInt64 {
        switch random.below(10) {
        case 0...4: return scratch + UInt64(random.below(scratchSize - 256))           // valid
        case 5: return scratch + UInt64(scratchSize) - UInt64(random.below(64))      // runs off the end
        case 6: return 0x1000_0000 + UInt64(random.below(1 << 20)) * 8                // unmapped user memory
        case 7: return UInt64(SV_DIRECT_MAP_BASE) + UInt64(random.below(1 << 24))     // the kernel
        case 8: return 0x8000_0000_0000_0000 | random.next()                           // non-canonical
        default: return random.pick([0, 1, 8, UInt64(SV_USER_END) - 8, UInt64.max - 7])
        }
    }

    mutating func length() -> UInt64 {
        switch random.below(8) {
        case 0...4: return UInt64(random.below(4096))
        case 5: return UInt64(random.below(scratchSize))
        case 6: return random.pick([0, 1, UInt64(Int32.max), UInt64(UInt32.max), UInt64.max, 1 << 40])
        default: return random.next()
        }
    }

    mutating func descriptor() -> UInt64 {
        if !descriptors.isEmpty && random.chance(70) { return UInt64(bitPattern: Int64(random.pick(descriptors))) }
        return UInt64(bitPattern: Int64(random.pick([Int32(1), 2, 3, 4, 5, 63, 64, 1000, -1, Int32.max])))
    }

    mutating func anything() -> UInt64 {
        switch random.below(4) {
        case 0: return UInt64(random.below(16))
        case 1: return pointer()
        case 2: return length()
        default: return random.next()
        }
    }

    /// A pid it may signal: one of its children, or one that cannot exist.
    mutating func signallablePID() -> UInt64 {
        if !children.isEmpty && random.chance(60) { return UInt64(random.pick(children)) }
        return UInt64(100_000 + random.below(1_000_000))
    }

    /// Writes `bytes` into the scratch buffer at `offset`; returns the address.
    func put(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        let p = UnsafeMutablePointer<UInt8>(bitPattern: UInt(scratch) + UInt(offset))!
        for (i, b) in bytes.prefix(scratchSize - offset).enumerated() { p[i] = b }
        return scratch + UInt64(offset)
    }

    func word(at offset: Int, _ value: UInt64) {
        UnsafeMutablePointer<UInt64>(bitPattern: UInt(scratch) + UInt(offset))!.pointee = value
    }

    mutating func path() -> [UInt8] {
        var p = Array(random.pick([
            "\(directory)/\(random.pick(["a", "b", "c", "d"]))", directory, "/tmp/sysfuzz",
            "/dev/null", "/dev/zero", "/dev/urandom", "/dev/full", "/nonexistent/x", "/tmp", "/bin/ls", "/",
        ]).utf8)
        if random.chance(15) && !p.isEmpty { p[random.below(p.count)] = UInt8(truncatingIfNeeded: random.next()) }
        if random.chance(5) { p = (0..<random.below(300)).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
        return p
    }

    // MARK: One call

    /// The arguments for system call `n`: valid ones when `valid`, random or mutated otherwise.
    mutating func arguments(_ n: Int, valid: Bool) -> [UInt64] {
        var a = (0..<5).map { _ in anything() }
        guard valid else {
            // Random, except where a random value would leave the fuzzer's contract (see the header).
            switch Int32(n) {
            case SV_SYS_OPEN:
                // Random flags may write, truncate or create: then only in its own directory.
                if a[2] & 3 != 0 || a[2] & UInt64(SV_O_TRUNC | SV_O_CREAT) != 0 {
                    let own = Array("\(directory)/m\(random.below(4))".utf8)
                    a[0] = put(own, at: 0); a[1] = UInt64(own.count)
                }
            default: break
            }
            return a
        }
        switch Int32(n) {
        case SV_SYS_WRITE: a = [descriptor(), scratch, UInt64(random.below(8192))]
        case SV_SYS_READ: a = [descriptor(), scratch, UInt64(random.below(8192))]
        case SV_SYS_SPAWN:
            let line = Array(random.pick(["true", "echo fuzz", "false", "nosuchprogram"]).utf8)
            a = [put(line, at: 0), UInt64(line.count), 0]
        case SV_SYS_WAIT: a = [0, scratch]
        case SV_SYS_DEVICE_INFO, SV_SYS_DEVICE_MAP, SV_SYS_IRQ_WAIT: a = [UInt64(random.below(4)), scratch]
        case SV_SYS_DMA_ALLOC: a = [4096, scratch]
        case SV_SYS_MAP_MEMORY: a = [UInt64(4096 * (1 + random.below(16)))]
        case SV_SYS_PROCESSES: a = [scratch, UInt64(random.below(64))]
        case SV_SYS_KILL: a = [signallablePID(), UInt64(random.pick([0, 9, 15]))]
        case SV_SYS_IPC_SERVE, SV_SYS_IPC_LOOKUP:
            let name = Array((n == Int(SV_SYS_IPC_SERVE) ? random.pick(["fuzz\(index)", "fs"]) : random.pick(["fs", "pipe", "blk", "nosuch"])).utf8)
            a = [put(name, at: 0), UInt64(name.count)]
        case SV_SYS_IPC_CALL:
            // A random request to a real server, with a lease of scratch memory.
            let body = (0..<random.below(64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let request = put(body, at: 1024)
            for (i, v) in [request, UInt64(body.count), scratch + 2048, 512, scratch + 4096, UInt64(random.below(4096)),
                           UInt64(random.below(4))].enumerated() { word(at: 512 + 8 * i, v) }
            a = [endpoints.isEmpty ? UInt64(random.below(8)) : random.pick(endpoints), scratch + 512]
            if served.contains(a[0]) { a[0] = UInt64.max }
        case SV_SYS_IPC_REPLY, SV_SYS_IPC_LEASE_READ, SV_SYS_IPC_LEASE_WRITE, SV_SYS_IPC_LEASE_MAP:
            // Replies and leases of callers this process never received: refused (ESRCH).
            a = [UInt64(random.pick(children + [1, 2, 3, 4, 5])), 0, scratch, UInt64(random.below(256)), 16]
        case SV_SYS_ENV_GET: a = [scratch, UInt64(random.below(8192))]
        case SV_SYS_ENV_SET:
            let env = Array("PWD=/\0FUZZ=\(random.next())\0".utf8)
            a = [put(env, at: 0), UInt64(env.count)]
        case SV_SYS_SLEEP: a = [UInt64(random.below(1_000_000))]
        case SV_SYS_PROGRAMS: a = [scratch, UInt64(random.below(4096))]
        case SV_SYS_CLOSE, SV_SYS_DUP: a = [descriptor()]
        case SV_SYS_DUP3: a = [descriptor(), UInt64(3 + random.below(40)), random.chance(50) ? UInt64(SV_O_CLOEXEC) : 0]
        case SV_SYS_FCNTL: a = [descriptor(), UInt64(random.below(5)), UInt64(random.below(64))]
        case SV_SYS_PIPE: a = [scratch, UInt64(SV_O_NONBLOCK) | (random.chance(50) ? UInt64(SV_O_CLOEXEC) : 0)]
        case SV_SYS_EXEC:
            // An image that is not an ELF file, with well-formed argument blocks: ENOEXEC.
            for (i, v) in [scratch + 4096, UInt64(random.below(4096)), put(Array("x\0".utf8), at: 3000), 2,
                           put(Array("A=1\0".utf8), at: 3100), 4].enumerated() { word(at: 512 + 8 * i, v) }
            a = [scratch + 512]
        case SV_SYS_WAITPID: a = [UInt64(bitPattern: -1), scratch, UInt64(SV_WNOHANG)]
        case SV_SYS_MMAP:
            a = [0, UInt64(4096 * (1 + random.below(8))), UInt64(random.below(4)), UInt64(SV_MAP_PRIVATE | SV_MAP_ANONYMOUS)]
        case SV_SYS_MUNMAP, SV_SYS_MPROTECT:
            // Pages of a fresh mapping of its own (never the scratch buffer or its code).
            if case .success(let m) = Unix.mapAnonymous(length: 4 * 4096) {
                a = [m + UInt64(4096 * random.below(3)), UInt64(4096 * (1 + random.below(2))), UInt64(random.below(4))]
            }
        case SV_SYS_BRK: a = [random.chance(50) ? 0 : Unix.brk(0) + UInt64(4096 * random.below(8))]
        case SV_SYS_CLOCK_GETTIME: a = [UInt64(random.below(2)), scratch]
        case SV_SYS_MEMORY_INFO: a = [scratch]
        case SV_SYS_OPEN:
            let p = path()
            let writing = p.starts(with: Array(directory.utf8))
            let flags = writing ? UInt64(random.pick([SV_O_RDWR | SV_O_CREAT, SV_O_WRONLY | SV_O_CREAT | SV_O_TRUNC,
                                                      SV_O_RDONLY, SV_O_RDWR | SV_O_APPEND | SV_O_CREAT, SV_O_RDONLY | SV_O_DIRECTORY]))
                                : UInt64(SV_O_RDONLY)
            a = [put(p, at: 0), UInt64(p.count), flags, 0o644]
        case SV_SYS_LSEEK: a = [descriptor(), UInt64(random.below(1 << 20)), UInt64(random.below(3))]
        case SV_SYS_FSTAT: a = [descriptor(), scratch]
        case SV_SYS_STAT:
            let p = path()
            a = [put(p, at: 0), UInt64(p.count), scratch + 1024]
        case SV_SYS_FTRUNCATE: a = [descriptor(), UInt64(random.below(1 << 18))]
        case SV_SYS_FSYNC: a = [descriptor()]
        case SV_SYS_GETDENTS: a = [descriptor(), scratch, UInt64(random.below(4096))]
        case SV_SYS_IPC_HANDLES: a = [scratch, UInt64(random.below(64))]
        case SV_SYS_POLL:
            for i in 0..<4 {
                word(at: 8 * i, UInt64(UInt32(bitPattern: Int32(truncatingIfNeeded: Int64(bitPattern: descriptor())))) | UInt64(1 | 4) << 32)
            }
            a = [scratch, UInt64(1 + random.below(4)), UInt64(random.below(3))]
        case SV_SYS_SIGACTION:
            // Default or ignore (0, 1) for a signal below SIGRTMIN, with a mask; the old action read back.
            for (i, v) in [UInt64(random.below(2)), UInt64(random.below(4)) << 26, 0, random.next()].enumerated() { word(at: 256 + 8 * i, v) }
            a = [UInt64(1 + random.below(31)), scratch + 256, random.chance(50) ? scratch + 512 : 0]
        case SV_SYS_SIGPROCMASK:
            word(at: 0, random.next() & ~(1 << 8 | 1 << 18))   // never block SIGKILL/SIGSTOP bits (refused anyway)
            a = [UInt64(random.below(3)), scratch, scratch + 64]
        case SV_SYS_SIGPENDING: a = [scratch]
        case SV_SYS_ALARM: a = [random.chance(50) ? 0 : UInt64(1_000_000_000 + random.below(1_000_000_000))]
        case SV_SYS_SETPGID: a = [0, random.chance(50) ? 0 : UInt64(random.pick(children + [0]))]
        case SV_SYS_GETPGID, SV_SYS_GETSID: a = [random.chance(50) ? 0 : UInt64(random.pick(children + [1, 2, 3]))]
        default:
            break   // calls without arguments, and those without a valid form here: random values
        }
        // Mutate one valid argument now and then: the edges of the valid paths.
        if random.chance(20) {
            let i = random.below(a.count == 0 ? 1 : a.count)
            if i < a.count { a[i] = random.chance(50) ? a[i] ^ (1 << UInt64(random.below(64))) : anything() }
        }
        return a
    }

    var getpid: Int64 { sv_syscall0(Int64(SV_SYS_GETPID)) }

    /// Whatever the arguments, valid or mutated: only its own processes are signalled, sleeps and
    /// poll timeouts stay short, and a read or write of one of its pipes does not wait (a pipe it
    /// holds both ends of would wait forever; the watchdog would end the worker, but each such
    /// wait costs the fuzzer seconds).
    mutating func keepToTheContract(_ n: Int, _ a: inout [UInt64]) {
        switch Int32(n) {
        case SV_SYS_KILL: a[0] = signallablePID()
        case SV_SYS_SLEEP: a[0] %= 2_000_000
        case SV_SYS_POLL: a[2] %= 5
        case SV_SYS_ARCH_PRCTL where a[0] == UInt64(SV_ARCH_SET_FS):
            // The base stays the worker's own: with another, the worker's next stack-protector
            // check reads %fs:0x28 elsewhere and it dies, which tests nothing of the kernel.
            a[1] = ownFSBase
        case SV_SYS_READ, SV_SYS_WRITE:
            if let fd = Int32(exactly: Int64(bitPattern: a[0])), pipes.contains(fd) {
                _ = sv_syscall3(Int64(SV_SYS_FCNTL), a[0], UInt64(SV_F_SETFL), UInt64(SV_O_NONBLOCK))
            }
        default: break
        }
    }

    mutating func step() {
        var n = random.below(syscallLimit)
        if random.chance(1) { n = random.pick([syscallLimit, 1000, -1 & 0x7fff_ffff]) }
        // Never on purpose: exit (the worker would just end) and the blocking waits of a server loop.
        if n == Int(SV_SYS_EXIT) { return }
        // A receive nobody calls waits until the watchdog's kill: about once a minute per worker.
        // sigreturn outside a handler ends the worker (an invalid frame): as rare, so workers live long.
        if (n == Int(SV_SYS_IPC_RECEIVE) || n == Int(SV_SYS_IPC_REPLY_RECEIVE) || n == Int(SV_SYS_SIGSUSPEND)
            || n == Int(SV_SYS_SIGRETURN)) && random.below(2000) != 0 { return }
        let valid = random.chance(50)
        var a = arguments(n, valid: valid)
        while a.count < 5 { a.append(0) }
        keepToTheContract(n, &a)
        if traceCalls { _ = Unix.write(diagnostics, Array("T \(getpid) \(n) \(a[0]) \(a[1]) \(a[2])\n".utf8)) }
        let result = sv_syscall5(Int64(n), a[0], a[1], a[2], a[3], a[4])
        let slot = min(n, syscallLimit)
        tally.calls[slot] &+= 1
        if result >= 0 { tally.successes[slot] &+= 1 }
        if verbose && n >= 53 && n < syscallLimit && result >= 0 && tally.successes[slot] == 1 {
            _ = Unix.write(diagnostics, Array("sysfuzz: call \(n)(\(a[0]), \(a[1]), \(a[2])) returned \(result)\n".utf8))
        }
        guard result >= 0 else { return }
        // Keep what the call made, so later calls can use it.
        switch Int32(n) {
        case SV_SYS_FORK:
            if result == 0 { System.exit(0) }   // the child of a fork ends at once (no fork bomb)
            children.append(Int32(result))
        case SV_SYS_SPAWN: children.append(Int32(result))
        case SV_SYS_OPEN, SV_SYS_DUP, SV_SYS_DUP3:
            let fd = Int32(truncatingIfNeeded: result)
            let copiesAPipe = n != Int(SV_SYS_OPEN) && pipes.contains { UInt64(bitPattern: Int64($0)) == a[0] }
            pipes.removeAll { $0 == fd }
            if copiesAPipe { pipes.append(fd) }
            if result < 1024 && descriptors.count < 48 { descriptors.append(fd) }
        case SV_SYS_PIPE:
            guard let fds = UnsafePointer<Int32>(bitPattern: UInt(a[0])), a[0] >= scratch, a[0] + 8 <= scratch + UInt64(scratchSize) else { break }
            pipes.removeAll { $0 == fds[0] || $0 == fds[1] }
            pipes += [fds[0], fds[1]]
            if descriptors.count < 48 { descriptors += [fds[0], fds[1]] }
        case SV_SYS_IPC_LOOKUP:
            if endpoints.count < 16 && !served.contains(UInt64(result)) { endpoints.append(UInt64(result)) }
        case SV_SYS_IPC_SERVE:
            served.append(UInt64(result))
            endpoints.removeAll { $0 == UInt64(result) }
        case SV_SYS_CLOSE:
            descriptors.removeAll { UInt64(bitPattern: Int64($0)) == a[0] }
            pipes.removeAll { UInt64(bitPattern: Int64($0)) == a[0] }
        case SV_SYS_WAIT, SV_SYS_WAITPID:
            children.removeAll { Int64($0) == result }
        default: break
        }
        if children.count > 16 {
            // Reap what has ended; forget the rest (they end by themselves: true, echo, false).
            while case .success(let r) = Unix.waitpid(-1, options: SV_WNOHANG), r.pid > 0 { children.removeAll { Int($0) == r.pid } }
            if children.count > 16 { children.removeFirst(children.count - 16) }
        }
    }

    /// Runs until `deadline` (monotonic ns), sending its tally on `heartbeat` every few calls.
    mutating func run(until deadline: UInt64, heartbeat pipe: Int32) -> Never {
        guard case .success = Unix.dup2(pipe, heartbeatDescriptor) else { System.exit(5) }
        _ = Unix.close(pipe)
        let heartbeat = heartbeatDescriptor
        // Standard input would be the console (a read of it would wait for typing); random writes
        // to standard output would flood it.
        if verbose { _ = Unix.dup2(1, diagnostics) }
        if case .success(let null) = Unix.open("/dev/null", SV_O_RDWR) {
            for fd: Int32 in 0...2 { _ = Unix.dup2(null, fd) }
            _ = Unix.close(null)
        }
        _ = Files.makeDirectory(directory)
        var count = 0
        while now() < deadline {
            step()
            count += 1
            if count % heartbeatEvery == 0, case .failure = Unix.writeAll(heartbeat, tally.bytes) { System.exit(4) }
        }
        _ = Unix.writeAll(heartbeat, tally.bytes)
        System.exit(0)
    }
}

func now() -> UInt64 {
    if case .success(let t) = Unix.clock(SV_CLOCK_MONOTONIC) { return UInt64(t.seconds) * 1_000_000_000 + UInt64(t.nanoseconds) }
    return 0
}

// MARK: - The parent: start workers, watch them, check the system

/// The FS base every program starts with (its thread control block), read once.
let ownFSBase: UInt64 = {
    var base: UInt64 = 0
    _ = withUnsafeMutablePointer(to: &base) { sv_syscall2(Int64(SV_SYS_ARCH_PRCTL), UInt64(SV_ARCH_GET_FS), UInt64(UInt(bitPattern: $0))) }
    return base
}()

/// System call names by number (sv_syscall.h), for the report.
let names: [String] = [
    "exit", "write", "getpid", "yield", "nop", "clock", "spawn", "wait", "device_info", "device_map",
    "dma_alloc", "irq_wait", "map_memory", "read", "processes", "kill", "ipc_serve", "ipc_lookup",
    "ipc_call", "ipc_receive", "ipc_reply", "lease_read", "lease_write", "reply_receive", "env_get",
    "env_set", "sleep", "programs", "close", "dup", "dup3", "fcntl", "pipe", "fork", "exec", "waitpid",
    "getppid", "mmap", "munmap", "mprotect", "brk", "clock_gettime", "memory_info", "open", "lseek",
    "fstat", "stat", "ftruncate", "fsync", "getdents", "ipc_handles", "poll", "lease_map", "sigaction",
    "sigprocmask", "sigreturn", "sigpending", "sigsuspend", "alarm", "setpgid", "getpgid", "setsid", "getsid",
    "arch_prctl", "#64", "#65", "#66", "#67", "#68", "#69", "ioctl", "console_attach", "console_write", "irq_notify",
]

struct Running {
    var pid: Int
    var reader: Int32
    var lastHeard: UInt64
    var tally = Tally()
    var buffer: [UInt8] = []
    var garbled = false     // bytes that were not a valid tally frame came through (skipped)
}

let arguments = System.arguments
guard arguments.count >= 2, let seconds = UInt64(arguments[1]), seconds > 0 else {
    print("usage: sysfuzz SECONDS [SEED] [WORKERS]")
    System.exit(2)
}
let seed = arguments.count > 2 ? UInt64(arguments[2]) ?? 1 : now()
let verbose = arguments.count > 4 && arguments[4].hasPrefix("-v")
/// -vv: every call's number and first arguments before it is made (to find what blocks).
let traceCalls = arguments.count > 4 && arguments[4] == "-vv"
let workerCount = arguments.count > 3 ? max(1, min(8, Int(arguments[3]) ?? 3)) : 3
print("sysfuzz: seed \(seed), \(workerCount) workers, \(seconds) s")
_ = Files.makeDirectory("/tmp/sysfuzz")

/// Starts the workers, watches their heartbeats, replaces blocked ones, adds up their tallies.
struct Supervisor {
    let deadline: UInt64
    var running: [Running] = []
    var total = Tally()
    var started = 0, silenced = 0, died = 0, garbled = 0

    mutating func startWorker() {
        guard case .success(let (r, w)) = Unix.pipe(flags: SV_O_CLOEXEC) else { return }
        let workerSeed = seed &+ UInt64(started) &* 0x1000_0001
        let index = started % workerCount
        started += 1
        guard case .success(let pid) = Unix.fork() else { _ = Unix.close(r); _ = Unix.close(w); return }
        if pid == 0 {
            _ = Unix.close(r)
            var worker = Worker(index: index, seed: workerSeed)
            worker.run(until: deadline, heartbeat: w)
        }
        _ = Unix.close(w)
        running.append(Running(pid: pid, reader: r, lastHeard: now()))
    }

    /// Takes the newest whole tally out of what the worker sent; false at its end of file.
    static func drain(_ w: inout Running) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        guard case .success(let n) = Unix.read(w.reader, into: &chunk), n > 0 else { return false }
        w.buffer += chunk.prefix(n)
        // Every valid frame in order (a byte at a time past anything else); an incomplete frame at
        // the end waits for the rest of it.
        var i = 0
        while w.buffer.count - i >= Tally.byteCount {
            if let t = Tally(w.buffer[i...]), w.tally.canPrecede(t) {
                w.tally = t
                i += Tally.byteCount
            } else {
                i += 1
                w.garbled = true
            }
        }
        w.buffer.removeFirst(i)
        w.lastHeard = now()
        return true
    }

    mutating func retire(_ i: Int, kill: Bool) {
        if verbose { print("sysfuzz: pid \(running[i].pid) \(kill ? "silent: killed" : "ended")") }
        if kill { _ = sv_syscall2(Int64(SV_SYS_KILL), UInt64(running[i].pid), 9) }
        while Supervisor.drain(&running[i]) {}
        _ = Unix.close(running[i].reader)
        if case .success(let r) = Unix.waitpid(running[i].pid), !kill, r.status.exitCode != 0 || r.status.signaled { died += 1 }
        total.add(running[i].tally)
        if running[i].garbled { garbled += 1 }
        running.remove(at: i)
    }

    mutating func run() {
        for _ in 0..<workerCount { startWorker() }
        while !running.isEmpty {
            var fds: [sv_pollfd] = running.map { sv_pollfd(fd: $0.reader, events: Int16(SV_POLLIN), revents: 0) }
            _ = fds.withUnsafeMutableBufferPointer { sv_syscall3(Int64(SV_SYS_POLL), UInt64(UInt(bitPattern: $0.baseAddress)), UInt64($0.count), 200) }
            var i = running.count - 1
            while i >= 0 {
                if fds[i].revents != 0 && !Supervisor.drain(&running[i]) {
                    retire(i, kill: false)                     // ended (its time was up, or it died)
                    if now() < deadline { startWorker() }
                } else if now() - running[i].lastHeard > silenceLimit {
                    silenced += 1
                    retire(i, kill: true)                      // blocked in a call: replaced
                    if now() < deadline { startWorker() }
                }
                i -= 1
            }
        }
        while case .success(let r) = Unix.waitpid(-1, options: SV_WNOHANG), r.pid > 0 {}
    }
}

/// The per-call table and the totals.
func summarize(_ supervisor: Supervisor, since start: UInt64) {
    let total = supervisor.total
    var calls: UInt64 = 0, successes: UInt64 = 0
    print("sysfuzz: call            made   succeeded")
    for n in 0...syscallLimit where total.calls[n] > 0 {
        calls += UInt64(total.calls[n]); successes += UInt64(total.successes[n])
        let name = n == syscallLimit ? "(past the table)" : n < names.count ? names[n] : "#\(n)"
        let made = String(total.calls[n]), ok = String(total.successes[n])
        print("sysfuzz: \(name)" + String(repeating: " ", count: max(1, 16 - name.count)) + String(repeating: " ", count: max(0, 8 - made.count)) + made
              + String(repeating: " ", count: max(1, 12 - ok.count)) + ok)
    }
    let elapsed = (now() - start) / 1_000_000
    print("sysfuzz: \(calls) calls (\(successes) succeeded) in \(elapsed) ms by \(supervisor.started) workers; \(supervisor.silenced) blocked and were killed, \(supervisor.died) died; \(supervisor.garbled) heartbeat streams had foreign bytes (skipped)")
}

/// The system afterwards: a file written and read back through fsd, a pipe, a process started.
func systemIsHealthy() -> Bool {
    var healthy = true
    let probe = "/tmp/sysfuzz/health"
    let text = Array("still standing \(seed)\n".utf8)
    if case .success(let fd) = Unix.open(probe, SV_O_WRONLY | SV_O_CREAT | SV_O_TRUNC) {
        if case .failure = Unix.writeAll(fd, text) { healthy = false }
        _ = Unix.close(fd)
    } else { healthy = false }
    if case .success(let fd) = Unix.open(probe, SV_O_RDONLY) {
        var back = [UInt8](repeating: 0, count: 256)
        let n = (try? Unix.read(fd, into: &back).get()) ?? -1
        if n != text.count || Array(back.prefix(n)) != text { healthy = false }
        _ = Unix.close(fd)
    } else { healthy = false }
    if case .success(let (r, w)) = Unix.pipe() {
        _ = Unix.writeAll(w, [1, 2, 3])
        var b = [UInt8](repeating: 0, count: 8)
        if (try? Unix.read(r, into: &b).get()) != 3 { healthy = false }
        _ = Unix.close(r); _ = Unix.close(w)
    } else { healthy = false }
    if case .success(let pid) = Unix.fork() {
        if pid == 0 { System.exit(7) }
        if (try? Unix.waitpid(pid).get())?.status.exitCode != 7 { healthy = false }
    } else { healthy = false }
    return healthy
}

func fuzz() -> Supervisor {
    var supervisor = Supervisor(deadline: now() + seconds * 1_000_000_000)
    supervisor.run()
    return supervisor
}

let start = now()
summarize(fuzz(), since: start)
let healthy = systemIsHealthy()
print(healthy ? "sysfuzz: the system is healthy afterwards" : "sysfuzz: FAIL: the system is not healthy afterwards")
System.exit(healthy ? 0 : 1)
