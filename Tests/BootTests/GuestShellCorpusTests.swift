// GuestShellCorpusTests.swift — the shell corpus (Tests/ShellTests/corpus, the cases swiftvm-sh
// must pass against dash on the host) run by the guest's /bin/sh: the Shell library over the
// guest's Posix backend. One boot runs every case (`swiftvm run IMAGE --ephemeral -- sh
// /corpus/driver.sh`), each in a fresh copy of the same fixture files ShellTests prepares; the
// host's dash runs the same scripts in the same fixture; stdout byte for byte, stderr empty or
// not, and the exit status must match for every case but the documented differences
// (GuestCorpusDifferences.swift: at most five, each with its reason).
import Foundation
import TestSupport
import Testing

enum GuestCorpus {
    struct Case {
        var name: String
        var script: String
    }

    struct Outcome: Equatable {
        var stdout: [UInt8]
        var stderrEmpty: Bool
        var status: Int32
    }

    static let directory = RepositoryPaths.root.appendingPathComponent("Tests/ShellTests/corpus")

    /// Every case of the corpus: files *.sh, cases separated by lines "#### name" (as ShellTests reads them).
    static func cases() throws -> [Case] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sh") }.sorted()
        var result: [Case] = []
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let stem = String(file.dropLast(3))
            var name: String?
            var lines: [Substring] = []
            func flush() {
                if let n = name { result.append(Case(name: stem + "/" + n, script: lines.joined(separator: "\n") + "\n")) }
                lines = []
            }
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("#### ") {
                    flush()
                    name = String(line.dropFirst(5)).trimmingCharacters(in: .whitespaces)
                } else {
                    lines.append(line)
                }
            }
            flush()
        }
        return result
    }

    /// The fixture ShellTests.ShellRunner.prepare makes: the script's working directory.
    static func writeFixture(at work: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: work + "/sub/deeper", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: work + "/emptydir", withIntermediateDirectories: true)
        let files: [(String, String)] = [
            ("a.txt", "alpha\nbeta\ngamma\n"), ("b.txt", "one two three\n"), ("c.log", "log line\n"),
            ("sp ace.txt", "spaced\n"), (".hidden", "secret\n"), ("sub/x.txt", "x\n"), ("sub/y.dat", "y\n"),
            ("sub/deeper/z.txt", "z\n"), ("numbers", "3\n1\n2\n10\n"),
            ("data.csv", "name,age\nann,31\nbob,27\ncid,45\n"),
        ]
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: work + "/" + name)) }
        try Data("#!/bin/sh\necho tool: \"$@\"\nexit 3\n".utf8).write(to: URL(fileURLWithPath: work + "/tool.sh"))
        chmod(work + "/tool.sh", 0o755)
    }

    /// The environment both shells get (ShellRunner's, with the guest's paths).
    static let variables = ["LC_ALL": "C", "TESTVAR": "from environment"]

    /// The guest's driver: for each case a fresh BASE/work (copied from /fixture), the script as
    /// BASE/script.sh, run as `sh ../script.sh` in BASE/work like ShellRunner does; then its
    /// stdout, and a line "@@@ N STATUS err|noerr" (after a newline, so output without one stays
    /// apart). BASE is the directory dash runs the case in on the host, so a case that prints a
    /// path (`cd -`, CDPATH, $PWD) prints the same one in both.
    static func driver(base: String) -> String {
        """
        export LC_ALL=C TESTVAR='from environment' HOME='\(base)/work'
        mkdir -p '\(base)'
        n=0
        while test -f /corpus/$n.sh; do
          rm -rf '\(base)/work'
          cp -r /fixture '\(base)/work'
          cp /corpus/$n.sh '\(base)/script.sh'
          cd '\(base)/work'
          # dash runs with a fresh environment: no OLDPWD (which cd has just exported here)
          unset OLDPWD
          sh ../script.sh </dev/null >/tmp/out 2>/tmp/err
          st=$?
          cd /
          if test -s /tmp/err; then e=err; else e=noerr; fi
          cat /tmp/out
          printf '\\n@@@ %s %s %s\\n' "$n" "$st" "$e"
          n=$((n + 1))
        done

        """
    }

    /// Runs `cases` in one boot of the guest; their outcomes by index (missing: no result).
    static func runInGuest(_ cases: [Case], base: String) throws -> (outcomes: [Int: Outcome], result: SubprocessResult) {
        let vmm = try RepositoryPaths.requireBuilt("swiftvm")
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("guest-corpus-\(getpid())-\(UUID().uuidString.prefix(6))").path
        defer { try? fm.removeItem(atPath: scratch) }
        let root = scratch + "/root"
        try fm.copyItem(atPath: try RepositoryPaths.requireBuilt("root"), toPath: root)
        try writeFixture(at: root + "/fixture")
        try fm.createDirectory(atPath: root + "/corpus", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/c", withIntermediateDirectories: true)
        for (i, c) in cases.enumerated() { try Data(c.script.utf8).write(to: URL(fileURLWithPath: "\(root)/corpus/\(i).sh")) }
        try Data(driver(base: base).utf8).write(to: URL(fileURLWithPath: root + "/driver.sh"))
        let image = scratch + "/os.img"
        // 128 MiB, as the Makefile builds os.img: build/root holds 65 MiB with the ports.
        let built = try Subprocess.run(vmm, ["image", "build", image, "--from", root, "--size", "256M"], timeout: 120)
        guard built.status == 0 else { throw TestSetupError("image build: \(built.stderr)") }
        // A guard against a hang, scaled to the work: one boot runs every case (0.6 s each unloaded
        // here, over 0.8 s with both cores busy), so the fixed boot timeout is too short for it.
        let guestTimeout = 60 + 4 * cases.count
        let r = try Subprocess.run(vmm, ["run", image, "--ephemeral", "--timeout", "\(guestTimeout)", "--", "sh", "/driver.sh"],
                                   timeout: TimeInterval(guestTimeout + 60))
        return (parse(Array(r.stdout.utf8)), r)
    }

    /// Splits the driver's output at its "\n@@@ N STATUS err|noerr\n" lines.
    static func parse(_ bytes: [UInt8]) -> [Int: Outcome] {
        var outcomes: [Int: Outcome] = [:]
        let marker = Array("\n@@@ ".utf8)
        var start = 0
        var i = 0
        while i + marker.count <= bytes.count {
            guard bytes[i..<(i + marker.count)].elementsEqual(marker),
                  let end = bytes[(i + marker.count)...].firstIndex(of: UInt8(ascii: "\n")) else { i += 1; continue }
            let fields = String(decoding: bytes[(i + marker.count)..<end], as: UTF8.self).split(separator: " ")
            if fields.count == 3, let n = Int(fields[0]), let status = Int32(fields[1]) {
                outcomes[n] = Outcome(stdout: Array(bytes[start..<i]), stderrEmpty: fields[2] == "noerr", status: status)
            }
            start = end + 1
            i = end + 1
        }
        return outcomes
    }

    /// A directory for dash's runs, whose path the guest uses too (see `driver`).
    static func dashBase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("dash-corpus-\(getpid())-\(UUID().uuidString.prefix(6))").path
    }

    /// The same case under the host's dash, in the same fixture, laid out as in the guest (in
    /// `root`, emptied first and removed after).
    static func runDash(_ c: Case, in root: String) throws -> Outcome {
        let fm = FileManager.default
        try? fm.removeItem(atPath: root)
        defer { try? fm.removeItem(atPath: root) }
        try writeFixture(at: root + "/work")
        try Data(c.script.utf8).write(to: URL(fileURLWithPath: root + "/script.sh"))
        // Through Subprocess: posix_spawn with no blocked signals (the test runner blocks some, and
        // dash's `wait` then never returns), killed after 20 s like ShellRunner's runs. Descriptors
        // 3–9 closed first, as ShellRunner does: a file another test has open in this process would
        // otherwise make `>&7` work for dash (case redirect/bad fd: st=1, not the guest's st=2).
        let environment = variables.map { "\($0.key)=\($0.value)" }.sorted()
            + ["PATH=/usr/bin:/bin", "HOME=\(root)/work", "PWD=\(root)/work"]
        // The `cd` exports OLDPWD (the runner's directory) to dash, which the guest's driver
        // unsets as well: dash runs with a fresh environment on both sides (case `cd -` without OLDPWD).
        let r = try Subprocess.run("/usr/bin/env", ["-i"] + environment + ["/bin/sh", "-c", "cd \"$0\" && unset OLDPWD && exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- && exec /usr/bin/timeout -s KILL 20 /usr/bin/dash ../script.sh", root + "/work"],
                                   timeout: 60)
        return Outcome(stdout: Array(r.stdout.utf8), stderrEmpty: r.stderr.isEmpty, status: r.status)
    }

}

@Test func guestShellMatchesDashOnTheCorpus() throws {
    try RepositoryPaths.requireKVM()
    let all = try GuestCorpus.cases()
    #expect(all.count >= 600, "the corpus has \(all.count) cases")
    #expect(GuestCorpus.knownDifferences.count <= 5, "issue 12 allows at most five documented differences")
    let names = Set(all.map(\.name))
    for name in GuestCorpus.knownDifferences.keys { #expect(names.contains(name), "\(name): a documented difference that is not in the corpus") }
    // GUEST_CORPUS_LIST=1 also lists the cases that match and those that do not.
    let listAll = ProcessInfo.processInfo.environment["GUEST_CORPUS_LIST"] != nil
    // GUEST_CORPUS_CASES="a/x|b/y" runs only those (to look at one case's outcome).
    let only = ProcessInfo.processInfo.environment["GUEST_CORPUS_CASES"].map { Set($0.split(separator: "|").map(String.init)) }
    let selected = only.map { o in all.filter { o.contains($0.name) } } ?? all
    let base = GuestCorpus.dashBase()
    let (outcomes, run) = try GuestCorpus.runInGuest(selected, base: base)
    #expect(run.status == 0, "the driver's status: \(run.stderr.suffix(2000))")
    #expect(outcomes.count == selected.count, "results for \(outcomes.count) of \(selected.count) cases")
    var passing: [String] = []
    var failing: [String] = []
    for (i, c) in selected.enumerated() {
        let dash = try GuestCorpus.runDash(c, in: base)
        let same = outcomes[i] == dash
        if same { passing.append(c.name) } else { failing.append(c.name) }
        if let reason = GuestCorpus.knownDifferences[c.name] {
            #expect(!same, "\(c.name) now matches dash: take it off knownDifferences (\(reason))")
        } else {
            #expect(same, "\(c.name)\n  dash:  \(dash)\n  guest: \(String(describing: outcomes[i]))")
        }
    }
    print("guest shell corpus: \(passing.count) of \(selected.count) cases match dash; \(GuestCorpus.knownDifferences.count) documented differences")
    if listAll {
        print("PASSING " + passing.joined(separator: "\nPASSING "))
        print("FAILING " + failing.joined(separator: "\nFAILING "))
    }
}
