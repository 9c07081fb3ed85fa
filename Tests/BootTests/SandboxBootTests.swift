// SandboxBootTests.swift — the VMM's seccomp sandbox (issue 16 §5, Sources/Sandbox): every thread
// of a run is under its filter (read from /proc, where the kernel reports each thread's seccomp
// mode), --no-sandbox turns it off, and a forbidden call stops the VMM with a message naming the
// thread and the call. That the normal modes still work under it is what every other boot test and
// the gdb tests show: they run `swiftvm run` with the sandbox on.
import Foundation
import TestSupport
import Testing

enum SandboxProbe {
    /// Each thread of process `pid`: its name and its seccomp mode (0 off, 2 filtering;
    /// proc(5), /proc/PID/task/TID/status "Seccomp:").
    static func threadModes(pid: Int32) -> [(name: String, mode: Int)] {
        let tasks = "/proc/\(pid)/task"
        guard let tids = try? FileManager.default.contentsOfDirectory(atPath: tasks) else { return [] }
        return tids.sorted().compactMap { tid in
            guard let status = try? String(contentsOfFile: "\(tasks)/\(tid)/status", encoding: .utf8),
                  let comm = try? String(contentsOfFile: "\(tasks)/\(tid)/comm", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Seccomp:") }),
                  let mode = Int(line.dropFirst("Seccomp:".count).trimmingCharacters(in: .whitespaces)) else { return nil }
            return (comm.trimmingCharacters(in: .newlines), mode)
        }
    }

    /// Boots the image with the shell on the console and `options`, waits for the prompt, reads
    /// the VMM's threads, then types `exit` (init powers off).
    static func threadsOfARun(_ options: [String]) throws -> (threads: [(name: String, mode: Int)], result: SubprocessResult) {
        try RepositoryPaths.requireKVM()
        let vmm = try RepositoryPaths.requireBuilt("swiftvm"), image = try RepositoryPaths.requireBuilt("os.img")
        let vm = try Subprocess([vmm, "run", image, "--ephemeral", "--cmdline", "init=init -- sh", "--timeout", "\(Boot.guestTimeout)"] + options,
                                interactive: true)
        let prompted = vm.waitForOutput(timeoutSeconds: Boot.hostTimeout) { $0.hasPrefix("$ ") || $0.contains("\n$ ") }
        let threads = prompted ? threadModes(pid: vm.pid) : []
        vm.send("exit\n")
        return (threads, vm.wait(timeoutSeconds: Boot.hostTimeout))
    }
}

@Test func everyThreadOfARunIsUnderItsSeccompFilter() throws {
    // --rng and a disk read-write exercise the virtio loop; --timeout starts the watchdog; the
    // console is interactive (stdin is a pipe), so the input thread runs too.
    let (threads, result) = try SandboxProbe.threadsOfARun(["--rng"])
    #expect(result.status == 0, "\(result.stderr)")
    let names = Set(threads.map(\.name))
    for expected in ["swiftvm", "vcpu0", "virtio", "watchdog", "console-input"] {
        #expect(names.contains(expected), "no thread named \(expected): \(threads)")
    }
    for thread in threads {
        #expect(thread.mode == 2, "thread \(thread.name) runs with seccomp mode \(thread.mode), not filtering")
    }
}

@Test func noSandboxRunsWithoutFilters() throws {
    let (threads, result) = try SandboxProbe.threadsOfARun(["--no-sandbox"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(threads.count >= 4, "\(threads)")
    for thread in threads {
        #expect(thread.mode == 0, "thread \(thread.name) filters with --no-sandbox")
    }
}

@Test func aForbiddenSystemCallStopsTheVMMWithAClearMessage() throws {
    // The test-only --sandbox-self-test makes the vCPU thread call personality(2) once it has
    // loaded its filter: the VMM must stop at once with 128 + SIGSYS and say what happened.
    let r = try GuestRun.run(["true"], options: ["--ephemeral", "--sandbox-self-test"])
    #expect(r.status == 159, "\(r.stderr)")
    #expect(r.stderr.contains("swiftvm: the sandbox stopped the VMM: the vcpu thread"), "\(r.stderr)")
    #expect(r.stderr.contains("made system call 135 (personality)"), "\(r.stderr)")
    #expect(!r.stderr.contains("forbidden call was allowed"))
}
