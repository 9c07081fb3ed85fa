// PowerCutTests.swift — power cuts through the whole stack (issue 16 §3): the guest writes (appends,
// copies, renames) and says "ack N" once the command that wrote record N has returned; the host
// kills the VMM with SIGKILL at a random point of that stream, then checks the image with the host
// tools: `swiftvm image fsck` is clean, and every acknowledged record is there, whole, once, in
// order. The same image takes every cut, as a real disk would. The durability contract is the
// file server's: a change is committed before its reply (README, "the disk driver and the file
// server"). POWER_CUTS sets the count (make test: a few; make soak: 1,000), POWER_CUT_SEED the
// seed (printed, to replay a failure).
import Foundation
import TestSupport
import Testing

enum PowerCuts {
    static var count: Int { Int(ProcessInfo.processInfo.environment["POWER_CUTS"] ?? "") ?? 4 }

    /// The writer: record i goes to /log/fK (K = i mod 3) by an append; every 7th record the file
    /// is also copied and the copy renamed over /log/copy (a whole-file replace). "ack i" follows
    /// only when all of it returned.
    static func writer(from first: Int) -> String {
        """
        mkdir -p /log; i=\(first)
        while :; do
            echo "rec $i" >> /log/f$((i % 3))
            if [ $((i % 7)) -eq 0 ]; then cp /log/f$((i % 3)) /log/tmpcopy && mv /log/tmpcopy /log/copy; fi
            echo "ack $i"
            i=$((i + 1))
        done
        """
    }

    static func records(in text: String) -> [Int]? { numberedLines(text, prefix: "rec") }
}

/// The numbers of a log's lines "PREFIX n", in order, or nil if a line is anything else (torn,
/// foreign, or not ended by a newline).
func numberedLines(_ text: String, prefix: String) -> [Int]? {
    var out: [Int] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
        guard line.hasPrefix(prefix + " "), let n = Int(line.dropFirst(prefix.count + 1)) else { return nil }
        out.append(n)
    }
    return out
}

@Test func everyAcknowledgedWriteSurvivesPowerCuts() throws {
    try RepositoryPaths.requireKVM()
    let vmm = try RepositoryPaths.requireBuilt("swiftvm")
    let image = try Boot.imageCopy()
    defer { try? FileManager.default.removeItem(atPath: image) }
    let seed = UInt64(ProcessInfo.processInfo.environment["POWER_CUT_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)
    print("power cuts: \(PowerCuts.count), seed \(seed) (POWER_CUT_SEED=\(seed) replays them)")
    var random = SplitMix(seed: seed)
    var acknowledged: [Int] = []
    var next = 0
    for cut in 0..<PowerCuts.count {
        let vm = try Subprocess([vmm, "run", image, "--timeout", "\(Boot.guestTimeout)", "--", "sh", "-c", PowerCuts.writer(from: next)])
        // The cut comes after a random number of acknowledged records (1…40): mid-write, as the
        // next command is always under way.
        let wanted = 1 + Int(random.below(40))
        let reached = vm.waitForOutput(timeoutSeconds: Boot.hostTimeout) { out in
            out.split(separator: "\n").filter { $0.hasPrefix("ack ") }.count >= wanted
        }
        vm.signal(SIGKILL)
        let result = vm.wait(timeoutSeconds: 60)
        #expect(reached, "cut \(cut): the writer never acknowledged \(wanted) records: \(result.stdout.suffix(500)) \(result.stderr.suffix(500))")
        let acks = result.stdout.split(separator: "\n").compactMap { $0.hasPrefix("ack ") ? Int($0.dropFirst(4)) : nil }
        acknowledged += acks

        let fsck = try Subprocess.run(vmm, ["image", "fsck", image], timeout: 120)
        #expect(fsck.status == 0, "cut \(cut) (seed \(seed)): fsck: \(fsck.stdout) \(fsck.stderr)")
        var present: [Int] = []
        for k in 0..<3 {
            let file = try Subprocess.run(vmm, ["image", "cat", image, "/log/f\(k)"], timeout: 60)
            guard file.status == 0 else {
                // Before the first record of a file is acknowledged it may not exist yet.
                #expect(!acknowledged.contains { $0 % 3 == k }, "cut \(cut) (seed \(seed)): /log/f\(k): \(file.stderr)")
                continue
            }
            let records = try #require(PowerCuts.records(in: file.stdout), "cut \(cut) (seed \(seed)): /log/f\(k) holds a torn or foreign line: \(file.stdout.suffix(300))")
            #expect(records == records.sorted() && Set(records).count == records.count, "cut \(cut) (seed \(seed)): /log/f\(k) out of order or repeated")
            #expect(records.allSatisfy { $0 % 3 == k })
            present += records
        }
        let missing = Set(acknowledged).subtracting(present)
        #expect(missing.isEmpty, "cut \(cut) (seed \(seed)): acknowledged records lost: \(missing.sorted().prefix(20))")
        // The copy, when there is one, is some whole earlier state of one of the files.
        let copy = try Subprocess.run(vmm, ["image", "cat", image, "/log/copy"], timeout: 60)
        if copy.status == 0 {
            #expect(PowerCuts.records(in: copy.stdout) != nil, "cut \(cut) (seed \(seed)): /log/copy torn: \(copy.stdout.suffix(300))")
        }
        next = (present.max() ?? -1) + 1
    }
    #expect(acknowledged.count >= PowerCuts.count, "every cut came after at least one acknowledged record")
}
