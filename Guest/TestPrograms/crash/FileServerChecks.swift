// FileServerChecks.swift — `crash fs-hostile`: the file server against a hostile client. Thousands of
// random requests (valid and invalid operations, random offsets and counts, paths of random bytes
// including NUL, "..", "@" and very long names, leases of every direction and size) straight over
// IPC. Afterwards the same fsd process must still be serving (a crash would be hidden by init's
// restart, so its pid is compared), ordinary file I/O must work, and fsck must find nothing.
// Deliberately unsafe: it lends raw slices of a lease buffer, as a hostile client would.
import ABI
import UserLib

struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

func fileServerPID() -> Int? { System.processes().first { $0.name == "fsd" && $0.state != "zombie" }?.pid }

func randomPath(_ rng: inout SplitMix) -> [UInt8] {
    let pieces: [[UInt8]] = [Array("/".utf8), Array("a".utf8), Array("..".utf8), Array(".".utf8), Array("@x".utf8),
                             Array("boot".utf8), [0], [0xff, 0xfe], Array("hostile".utf8),
                             [UInt8](repeating: UInt8(ascii: "n"), count: 300)]
    var path: [UInt8] = rng.below(4) == 0 ? [] : [UInt8(ascii: "/")]
    for _ in 0..<rng.below(6) {
        path += pieces[rng.below(pieces.count)]
        if rng.below(2) == 0 { path.append(UInt8(ascii: "/")) }
    }
    return Array(path.prefix(FileProtocol.maximumPath))
}

func fileServerHostileChecks(requests: Int) -> Bool {
    var endpoint = Channel.lookup(FileProtocol.service)
    let deadline = System.clock() + 10_000_000_000
    while endpoint < 0 && System.clock() < deadline { System.yield(); endpoint = Channel.lookup(FileProtocol.service) }
    guard endpoint > 0, let server = fileServerPID() else { print("crash: no file server"); return false }
    var rng = SplitMix(state: System.timestamp())
    print("crash: \(requests) hostile requests to fsd (pid \(server)), seed \(rng.state)")
    var lease = [UInt8](repeating: 0x41, count: 8192)
    var served = 0
    for i in 0..<requests {
        var request: [UInt8]
        if rng.below(8) == 0 {
            request = (0..<rng.below(257)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }   // noise
        } else {
            request = FileProtocol.request(FileOperation(rawValue: UInt8(1 + rng.below(13))),
                                           path: randomPath(&rng),
                                           a: rng.below(3) == 0 ? rng.next() : UInt64(rng.below(70_000)),
                                           b: rng.below(3) == 0 ? rng.next() : UInt64(rng.below(70_000)),
                                           flags: UInt8(truncatingIfNeeded: rng.next()))
            if rng.below(16) == 0 { request[0] = UInt8(truncatingIfNeeded: rng.next()) }   // unknown op
        }
        let flags = Int32(rng.below(4))
        let length = [0, 1, 17, 4096, 8192][rng.below(5)]
        let r = lease.withUnsafeMutableBytes {
            Channel.call(endpoint, request: request, lease: UnsafeMutableRawBufferPointer(rebasing: $0.prefix(length)), leaseFlags: flags)
        }
        if case .failure(let e) = r, e.code == SV_EPIPE {
            print("crash: the file server went away at request \(i)")
            return false
        }
        // A reply, or (a successful STAT) a reply followed by the attributes (sv_fs.h).
        if case .success(let reply) = r,
           reply.count == FileProtocol.replySize || reply.count == FileProtocol.replySize + MemoryLayout<sv_fs_attributes>.size { served += 1 }
    }
    guard fileServerPID() == server else { print("crash: fsd was restarted (it crashed)"); return false }
    // The disk driver serves uid 0 only, as the kernel stamps it (the file server, which init
    // starts as root; docs/SECURITY.md): a raw block write from an ordinary user's process is
    // refused. The write is made by a child that has become uid 1000 (this program runs as root).
    let disk = Channel.lookup(BlockProtocol.service)
    if disk > 0 {
        guard case .success(let child) = Unix.fork() else { print("crash: fork failed"); return false }
        if child == 0 {
            guard case .success = Credentials.setuid(1000) else { print("crash: setuid(1000) failed"); System.exit(2) }
            var block = [UInt8](repeating: 0xee, count: 4096)
            let r = block.withUnsafeMutableBytes {
                Channel.call(disk, request: BlockProtocol.request(.write, block: 0, count: 1), lease: $0, leaseFlags: SV_LEASE_READ)
            }
            guard case .success(let reply) = r, case .failure(let e) = BlockProtocol.decodeReply(reply), e.code == SV_EPERM else {
                print("crash: blkd accepted a raw write from a process that is not root")
                System.exit(1)
            }
            print("crash: blkd refused a raw block write from pid \(System.getpid()), uid 1000 (EPERM)")
            System.exit(0)
        }
        guard case .success(let (_, status)) = Unix.waitpid(child), !status.signaled, status.exitCode == 0 else { return false }
    }
    print("crash: fsd answered all \(served) of \(requests) requests with a well-formed reply, and is still pid \(server)")
    // Ordinary I/O still works, and the filesystem is consistent.
    let text = Array("still fine\n".utf8)
    guard case .success = Files.write("/after-hostile.txt", text), case .success(let back) = Files.read("/after-hostile.txt"),
          back == text else { print("crash: file I/O after the hostile requests failed"); return false }
    guard case .success(let (report, problems)) = Files.check() else { print("crash: fsck call failed"); return false }
    print(report, terminator: "")
    return problems == 0 && served == requests
}
