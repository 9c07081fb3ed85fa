// SyscallFuzzTests.swift — the in-guest system-call fuzzer (Guest/TestPrograms/sysfuzz, issue 16 §2)
// for 30 s with three workers on a copy of the OS image: the kernel does not panic, the file server
// and the process calls work afterwards (the fuzzer's own health check), the image is clean by the
// host's fsck, and the fuzzer reached deep: most system calls succeeded at least once (a call that
// never succeeds is a gap in the fuzzer). `make fuzz` runs it longer with fresh seeds.
import Foundation
import TestSupport
import Testing

@Test func theSystemCallFuzzerLeavesTheKernelAndTheServersStanding() throws {
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let seed = ProcessInfo.processInfo.environment["SYSFUZZ_SEED"] ?? "20261207"
    let seconds = ProcessInfo.processInfo.environment["SYSFUZZ_SECONDS"] ?? "30"
    try RepositoryPaths.requireKVM()
    // The guest's own timeout bounds a hang: the fuzzing time plus the boot and the health check.
    let guestTimeout = (Int(seconds) ?? 30) + Boot.guestTimeout
    let r = try Subprocess.run(try RepositoryPaths.requireBuilt("swiftvm"),
                               ["run", image, "--no-input", "--timeout", "\(guestTimeout)", "--", "sysfuzz", seconds, seed, "3"],
                               timeout: TimeInterval(guestTimeout + 60))
    let out = r.stdout + r.stderr
    #expect(!out.contains("PANIC"), "\(out)")
    #expect(out.contains("sysfuzz: seed \(seed), 3 workers, \(seconds) s"), "\(out)")
    #expect(out.contains("sysfuzz: the system is healthy afterwards"), "\(out)")
    #expect(r.status == 0, "\(out)")
    // Per-call lines: "sysfuzz: NAME  MADE  SUCCEEDED".
    let rows = out.split(separator: "\n").compactMap { line -> (String, Int, Int)? in
        let f = line.split(separator: " ")
        guard f.count == 4, f[0] == "sysfuzz:", let made = Int(f[2]), let ok = Int(f[3]) else { return nil }
        return (String(f[1]), made, ok)
    }
    #expect(rows.count >= 50, "\(out)")
    let total = rows.reduce(0) { $0 + $1.1 }
    #expect(total > 3_000, "\(out)")
    // The tallies are counts a worker can make in the time: no call succeeded more often than it was
    // made, and no worker made more than one call per microsecond (framed, checksummed tallies:
    // bytes a fuzzed write put into the heartbeat pipe are skipped, never counted).
    #expect(rows.allSatisfy { $0.2 <= $0.1 }, "\(out)")
    #expect(total < 3 * (Int(seconds) ?? 30) * 1_000_000, "\(out)")
    // Deep paths: files, pipes, descriptors, memory and processes all succeeded sometimes.
    for name in ["open", "read", "write", "pipe", "dup3", "fcntl", "fstat", "stat", "lseek", "getdents", "ftruncate",
                 "mmap", "munmap", "mprotect", "fork", "spawn", "waitpid", "poll", "ipc_lookup", "ipc_call"] {
        #expect(rows.contains { $0.0 == name && $0.2 > 0 }, "\(name) never succeeded: \(out)")
    }
    let fsck = try Subprocess.run(try RepositoryPaths.requireBuilt("swiftvm"), ["image", "fsck", image], timeout: 120)
    #expect(fsck.status == 0, "\(fsck.stdout)\(fsck.stderr)")
}
