// PortsBootTests.swift — third-party C programs built unmodified with swiftvm-cc (ports/, issue 11
// §3), run in the guest from build/os.img's /usr/bin and judged by their own tests and against the
// same sources built for the host by the host's cc (build/ports/host): same input, same output.
import Foundation
import TestSupport
import Testing

enum Ports {
    /// A host build of a port's program (ports/<port>.sh puts them in build/ports/host).
    static func host(_ name: String) throws -> String { try RepositoryPaths.requireBuilt("ports/host/\(name)") }

    /// A fresh host directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ports-\(getpid())-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// build/os.img plus the ports' test trees under /usr/share/ports (the Makefile puts only
    /// /usr/bin on os.img): built once per test run, as build/ports/test.img, and used --ephemeral.
    static func imageWithTests() throws -> String { try imageWithTestsResult.get() }
    private static let imageWithTestsResult = Result { () throws(TestSetupError) -> String in
        do {
            let root = try RepositoryPaths.requireBuilt("root"), share = try RepositoryPaths.requireBuilt("ports/root/usr/share")
            let tree = RepositoryPaths.build("ports/test-root"), path = RepositoryPaths.build("ports/test.img")
            let copy = try Subprocess.run("/bin/sh", ["-c", "rm -rf '\(tree)' && cp -R '\(root)' '\(tree)' && mkdir -p '\(tree)/usr' && cp -R '\(share)' '\(tree)/usr/' && rm -f '\(path)'"], timeout: 120)
            guard copy.status == 0 else { throw TestSetupError("copying the image tree: \(copy.stderr)") }
            // 256 MiB: the tree is ~75 MiB and SQLite's fuzzdata*.db another ~65 MiB.
            _ = try image(["build", path, "--from", tree, "--size", "256M"])
            return path
        } catch let e as TestSetupError { throw e } catch { throw TestSetupError("\(error)") }
    }

    /// The test files all.lua runs through its reporting dofile ("***** FILE 'NAME.lua'*****").
    static let luaReportedFiles = ["main", "gc", "db", "calls", "tpack", "attrib", "gengc", "locals", "constructs",
                                   "code", "cstack", "nextvar", "pm", "utf8", "api", "events", "vararg", "closure",
                                   "coroutine", "goto", "errors", "math", "sort", "bitwise", "verybig", "files"]

    static func image(_ arguments: [String]) throws -> SubprocessResult {
        let r = try Subprocess.run(try RepositoryPaths.requireBuilt("swiftvm"), ["image"] + arguments, timeout: 120)
        guard r.status == 0 else { throw TestSetupError("swiftvm image \(arguments.joined(separator: " ")): \(r.stderr)") }
        return r
    }

    /// Test data that compresses neither trivially nor not at all: numbered text lines mixed with
    /// bytes from a fixed linear congruential generator (the same bytes every run).
    static func mixedBytes(count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count + 64)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var line = 0
        while out.count < count {
            out += Array("line \(line): the quick brown fox jumps over the lazy dog\n".utf8)
            for _ in 0..<(line % 7) * 9 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                out.append(UInt8(truncatingIfNeeded: state >> 33))
            }
            line += 1
        }
        return Array(out.prefix(count))
    }
}

/// The ports' boot tests, one suite so `swift test --filter PortsBootTests` runs them.
@Suite struct PortsBootTests {
    /// zlib's own test program: every check it makes (compress, gzio, deflate/inflate, large buffers,
    /// flush, sync, dictionaries) passes, and it prints exactly what the host build prints.
    @Test func zlibExamplePassesAsOnTheHost() throws {
        let dir = try Ports.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let host = try Subprocess.run("/bin/sh", ["-c", "cd '\(dir.path)' && '\(try Ports.host("example"))'"], timeout: 60)
        try #require(host.status == 0, "host example: \(host.stderr)")
        let guest = try GuestRun.run(["sh", "-c", "cd /tmp && /usr/bin/example"])
        #expect(guest.status == 0, "\(guest.stdout) \(guest.stderr)")
        #expect(guest.stderr.isEmpty, "\(guest.stderr)")
        #expect(guest.stdout == host.stdout, "guest \(guest.stdout.debugDescription) host \(host.stdout.debugDescription)")
        #expect(guest.stdout.contains("large_inflate(): OK"))
    }

    /// minigzip in the guest: what it compresses, the host's gzip -d gives back byte for byte (and the
    /// compressed bytes are the host build's, bit for bit); what the host's gzip compressed, it gives
    /// back; -1 … -9 round-trip through a pipe too.
    @Test func zlibMinigzipRoundTripsWithTheHostsGzip() throws {
        let dir = try Ports.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try Boot.imageCopy()
        defer { try? FileManager.default.removeItem(atPath: image) }
        let data = Ports.mixedBytes(count: 300_000)
        let original = dir.appendingPathComponent("data")
        try Data(data).write(to: original)
        // The host's gzip compresses a copy for the guest to decompress.
        let hostGzip = try Subprocess.run("/bin/sh", ["-c", "gzip -9 -c '\(original.path)' > '\(dir.path)/host.gz'"], timeout: 60)
        try #require(hostGzip.status == 0, "\(hostGzip.stderr)")
        _ = try Ports.image(["put", image, original.path, "/tmp/data"])
        _ = try Ports.image(["put", image, dir.appendingPathComponent("host.gz").path, "/tmp/host.gz"])
        let script = "cd /tmp && cp data piped && /usr/bin/minigzip -9 data && /usr/bin/minigzip -d host.gz"
            + " && /usr/bin/minigzip -1 < piped > piped.gz && /usr/bin/minigzip -d < piped.gz > piped.out && ls"
        let r = try GuestRun.run(["sh", "-c", script], image: image, options: [])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout == "data.gz\nhost\npiped\npiped.gz\npiped.out\n", "minigzip replaces each file by its result: \(r.stdout)")

        _ = try Ports.image(["get", image, "/tmp/data.gz", dir.appendingPathComponent("guest.gz").path])
        let decompressed = try Subprocess.run("/bin/sh", ["-c", "gzip -d -c '\(dir.path)/guest.gz' > '\(dir.path)/guest.out'"], timeout: 60)
        #expect(decompressed.status == 0, "the host's gzip -d: \(decompressed.stderr)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("guest.out")) == Data(data), "gzip -d of the guest's data.gz")
        // The host build of minigzip, on the same input, writes the same bytes.
        let hostMinigzip = try Subprocess.run("/bin/sh", ["-c", "cd '\(dir.path)' && '\(try Ports.host("minigzip"))' -9 < data > hostmini.gz"], timeout: 60)
        try #require(hostMinigzip.status == 0, "\(hostMinigzip.stderr)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("guest.gz")) == Data(contentsOf: dir.appendingPathComponent("hostmini.gz")),
                "the guest's compressed bytes are the host build's")

        for (inGuest, name) in [("/tmp/host", "from-host"), ("/tmp/piped.out", "piped")] {
            let out = dir.appendingPathComponent(name)
            _ = try Ports.image(["get", image, inGuest, out.path])
            #expect(try Data(contentsOf: out) == Data(data), "\(inGuest) is the original")
        }
    }

    /// The one true awk's own regression tests (bugs-fixed/, run as its REGRESS script runs them:
    /// `../a.out -f X.awk [X.in] > out 2>&1`, then compared with X.ok), all in one guest boot; a.out is
    /// the port's awk, installed there as well as /usr/bin/awk. Each
    /// script's output must be its .ok byte for byte, except system-status.awk's core-dump line
    /// (see there), which must be what the host build prints.
    @Test func awkPassesItsBugsFixedTests() throws {
        let dir = try RepositoryPaths.requireBuilt("ports/root/usr/share/ports/awk/bugs-fixed")
        let scripts = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".awk") }.sorted()
        try #require(scripts.count >= 24, "bugs-fixed holds \(scripts.count) scripts")
        let script = """
            cd /usr/share/ports/awk/bugs-fixed || exit 1
            for i in *.awk; do
                input=; [ -f "${i%.awk}.in" ] && input="${i%.awk}.in"
                printf '\\n@@@ %s\\n' "$i"
                ../a.out -f "$i" $input 2>&1
            done
            printf '\\n@@@ end\\n'
            """
        let r = try GuestRun.run(["sh", "-c", script], image: try Ports.imageWithTests())
        #expect(r.status == 0, "\(r.stderr)")
        // The transcript, split at the markers into each script's output (each marker line follows
        // a newline of its own, so an output need not end in one: that newline is dropped again).
        var outputs: [String: String] = [:]
        var current: String? = nil
        var text = ""
        for line in r.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("@@@ ") {
                if let current { outputs[current] = String(text.dropLast()) }
                current = String(line.dropFirst(4)); text = ""
            } else {
                text += line + "\n"
            }
        }
        #expect(outputs.keys.sorted() == scripts, "ran \(outputs.keys.sorted()) of \(scripts)")
        var failed: [String] = []
        for name in scripts {
            // Decoded as the guest's output is (Subprocess: UTF-8, invalid bytes replaced): some
            // .ok files hold bytes that are not UTF-8 (rs_underflow.ok).
            let expected = String(decoding: try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(name.dropLast(4)).ok")), as: UTF8.self)
            let got = outputs[name] ?? "(not run)"
            if name == "system-status.awk" {
                // Its .ok expects a core dump for SIGABRT (518 = 512 + 6). Linux sets the status's
                // core bit (0x80) only when a core file was written (coredump_finish), and the guest
                // writes none: it prints 262, as the host build does with core dumps off (ulimit -c 0).
                let host = try Subprocess.run("/bin/sh", ["-c", "ulimit -c 0 && cd '\(dir)' && '\(try Ports.host("awk"))' -f system-status.awk"], timeout: 60)
                try #require(host.status == 0, "\(host.stderr)")
                #expect(got == host.stdout, "\(name): got \(got.debugDescription), the host build \(host.stdout.debugDescription)")
                #expect(expected.hasPrefix("normal status 42\ndeath by signal status 257\n") && got.hasPrefix("normal status 42\ndeath by signal status 257\n"), "\(got)")
                continue
            }
            if got != expected { failed.append("\(name): got \(got.debugDescription)\n  want \(expected.debugDescription)") }
        }
        #expect(failed.isEmpty, "\(failed.count) of \(scripts.count) failed:\n\(failed.joined(separator: "\n"))")
    }

    /// Lua 5.4.8's official test files (testes/), each run alone as all.lua would run it with _U
    /// (`_soft`, `_port`: no heavy or non-portable parts), in one guest boot: every file here ends with
    /// status 0 (a failed `assert` in a file is an error, status 1). The files that call sin/cos/tan
    /// (calls, closure, constructs, db, errors, math) pass since every process has an FS base (musl's
    /// libm reads its stack-protector canary at %fs:0x28). Not in this list: heavy and verybig (slow,
    /// memory) and main (the shell, C modules: luaFullTestSuitePasses); all.lua runs in its own test.
    @Test func luaTestFilesPassInTheGuest() throws {
        let files = ["api", "attrib", "big", "bitwise", "bwcoercion", "calls", "closure", "code", "constructs", "coroutine",
                     "cstack", "db", "errors", "events", "files", "gc", "gengc", "goto", "literals", "locals", "math",
                     "nextvar", "pm", "sort", "strings", "tpack", "tracegc", "utf8", "vararg"]
        let script = "cd /usr/share/ports/lua/testes || exit 1\nfor f in \(files.joined(separator: " ")); do\n"
            + "  /usr/bin/lua -e '_U=true _soft=true _port=true' $f.lua > /tmp/out 2>&1; echo \"@@@ $f $?\"\n"
            + "  [ -s /tmp/out ] && cat /tmp/out >&2\ndone\n"
        let r = try GuestRun.run(["sh", "-c", script], image: try Ports.imageWithTests())
        #expect(r.status == 0)
        let statuses = r.stdout.split(separator: "\n").filter { $0.hasPrefix("@@@ ") }.map { $0.split(separator: " ") }
        #expect(statuses.map { String($0[1]) } == files, "\(r.stdout)")
        let failed = statuses.filter { $0.count != 3 || $0[2] != "0" }.map { $0.joined(separator: " ") }
        #expect(failed.isEmpty, "failed: \(failed)\n\(r.stderr.suffix(3000))")
    }

    /// Lua's whole test suite as its all.lua runs it with `_U=true` (`_soft` and `_port`: the heavy
    /// and non-portable parts skipped, main.lua's shell tests among them): every file, in all.lua's
    /// order and with its checks between files, ending in "final OK !!!". ~8 s in the guest.
    @Test func luaAllLuaPassesWithUserTestsSettings() throws {
        let r = try GuestRun.run(["sh", "-c", "cd /usr/share/ports/lua/testes && /usr/bin/lua -e _U=true all.lua"],
                                 image: try Ports.imageWithTests())
        #expect(r.status == 0, "\(r.stdout.suffix(2000)) \(r.stderr.suffix(2000))")
        #expect(r.stdout.contains("\nfinal OK !!!\n"), "\(r.stdout.suffix(2000)) \(r.stderr.suffix(2000))")
        // Every file all.lua runs through its reporting dofile (strings, literals and big go another way).
        for file in Ports.luaReportedFiles {
            #expect(r.stdout.contains("***** FILE '\(file).lua'*****"), "\(file).lua did not run")
        }
    }

    /// Lua's whole official test suite, the full run: `lua all.lua` without `_U` (heavy and
    /// non-portable tests included: main.lua runs lua through the shell — `env`, pipes,
    /// redirections, `lua -i` echoing its input as GNU readline does, C modules from testes/libs
    /// with `-l` and LUA_CPATH —, attrib.lua loads the C modules with require and
    /// package.loadlib), ending in "final OK !!!". 1 GiB of guest memory: after verybig.lua the
    /// interpreter is too large to fork for files.lua's popen in 256 MiB. About 90 s on an idle
    /// machine (8 December).
    @Test func luaFullTestSuitePasses() throws {
        let timeout = 1800
        let r = try Subprocess.run(try RepositoryPaths.requireBuilt("swiftvm"),
                                   ["run", try Ports.imageWithTests(), "--ephemeral", "--memory", "1G",
                                    "--timeout", "\(timeout)", "--", "sh", "-c", "cd /usr/share/ports/lua/testes && /usr/bin/lua all.lua"],
                                   timeout: Double(timeout + 60))
        #expect(r.status == 0, "\(r.stdout.suffix(3000)) \(r.stderr.suffix(3000))")
        #expect(r.stdout.contains("\nfinal OK !!!\n"), "\(r.stdout.suffix(3000)) \(r.stderr.suffix(3000))")
        for file in Ports.luaReportedFiles {
            #expect(r.stdout.contains("***** FILE '\(file).lua'*****"), "\(file).lua did not run")
        }
        #expect(r.stdout.contains("testing stand-alone interpreter") && r.stdout.contains("testing require"), "\(r.stdout.suffix(2000))")
        // attrib.lua found the C modules (it says "cannot load dynamic library" when it does not).
        #expect(!r.stdout.contains("cannot load dynamic library"), "\(r.stdout.suffix(2000))")
    }

    /// `lua -i` reading a file (no terminal) prints what the host's build with GNU readline prints:
    /// each prompt followed by the line read and a newline (readline echoes even without a
    /// terminal), as main.lua checks with a prompt that counts.
    @Test func luaInteractiveEchoesAsGNUReadline() throws {
        let input = " --\na = 2\nprint(a * 21)\nfor i = 1, 2 do\n  io.write(i, ' ')\nend\n"
        let options = ["-e", "local C = 0; _PROMPT = setmetatable({}, {__tostring = function () C = C + 1; return C end})", "-i"]
        let dir = try Ports.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("input.lua").path
        try input.write(toFile: file, atomically: true, encoding: .utf8)
        let host = try Subprocess.run("/bin/sh", ["-c", "'\(try Ports.host("lua"))' \"$@\" < '\(file)'", "sh"] + options, timeout: 60)
        try #require(host.status == 0, "\(host.stderr)")
        #expect(host.stdout.contains("\n1 --\n2a = 2\n3print(a * 21)\n42\n4for i = 1, 2 do\n>>   io.write(i, ' ')\n>> end\n1 2 5\n"),
                "\(host.stdout.debugDescription)")
        let image = try Boot.imageCopy()
        defer { try? FileManager.default.removeItem(atPath: image) }
        _ = try Ports.image(["put", image, file, "/tmp/input.lua"])
        let quoted = options.map { "'" + $0 + "'" }.joined(separator: " ")
        let guest = try GuestRun.run(["sh", "-c", "/usr/bin/lua \(quoted) < /tmp/input.lua"], image: image)
        #expect(guest.status == 0, "\(guest.stderr)")
        #expect(guest.stdout == host.stdout, "guest \(guest.stdout.debugDescription) host \(host.stdout.debugDescription)")
    }

    /// `lua` at a terminal (the shell on ttyd's terminal, typed at over the serial console):
    /// readline edits the line with the shell's line editor — history with Up, Ctrl-U to clear the
    /// line — Ctrl-D on an empty line ends lua, Ctrl-C at the prompt is SIGINT (lua has no handler
    /// there, so it ends, as with GNU readline) and the shell's prompt comes back each time.
    @Test func luaPromptEditsLinesOnATerminal() throws {
        try RepositoryPaths.requireKVM()
        let image = try Boot.imageCopy()
        defer { try? FileManager.default.removeItem(atPath: image) }
        let t = try GuestTerminal(image: image)
        #expect(t.waitFor("\n$ "), "no prompt: \(t.screen)")
        #expect(t.type("/usr/bin/lua\n", thenSee: "Lua 5.4.8", "\n> "), "\(t.screen)")
        #expect(t.type("x = 6 * 7\n", thenSee: "x = 6 * 7\n> "), "\(t.screen)")
        #expect(t.type("print(x)\n", thenSee: "\n42\n> "), "\(t.screen)")
        // Up twice: the line before the last, redrawn over the last one.
        #expect(t.type("\u{1b}[A", thenSee: "print(x)"), "\(t.screen)")
        #expect(t.type("\u{1b}[A", thenSee: "x = 6 * 7"), "\(t.screen)")
        #expect(t.type("\u{15}print(x + 1)\n", thenSee: "print(x + 1)\n43\n> "), "\(t.screen)")
        #expect(t.type("\u{4}", thenSee: "\n$ "), "\(t.screen)")
        #expect(t.type("/usr/bin/lua\n", thenSee: "\n> "), "\(t.screen)")
        // Ctrl-C ends lua by SIGINT (readline gives the signal its default action back): the echo,
        // then the shell's prompt (one blank line between them or none — the exact line the
        // shell and readline leave after ^C is not what this test is about), and status 130.
        #expect(t.type("\u{3}", thenSee: "^C\n", "$ "), "\(t.screen)")
        #expect(t.type("echo status $?\n", thenSee: "status 130\n$ "), "\(t.screen)")
        t.vm.send("exit\n")
        _ = t.vm.wait(timeoutSeconds: Boot.hostTimeout)
    }

    /// dlopen, dlsym, dlclose and dlerror: CPrograms/dlmain.c (linked -rdynamic) loads
    /// CPrograms/dlmodule.c built as a shared object (-shared -fPIC), both by swiftvm-cc, and calls
    /// it; the module calls back into the program (a function, a variable, strlen) and has a
    /// constructor. The guest prints exactly what the same sources built by the host's cc print
    /// with glibc's dlopen — hostile files (text, empty, cut short, another machine's) included,
    /// each refused with a message that names the file.
    @Test func dlopenLoadsAModuleThatCallsBackIntoTheProgram() throws {
        let sources = RepositoryPaths.root.appendingPathComponent("Tests/BootTests/CPrograms").path
        let dir = try Ports.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let d = dir.path
        let cc = try RepositoryPaths.requireBuilt("bin/swiftvm-cc")
        try FileManager.default.createDirectory(atPath: d + "/host", withIntermediateDirectories: true)
        for (tool, args) in [(cc, ["-O2", "-Wall", "-Werror", "-rdynamic", "-o", d + "/dlmain", sources + "/dlmain.c"]),
                             (cc, ["-O2", "-Wall", "-Werror", "-shared", "-fPIC", "-o", d + "/dlmodule.so", sources + "/dlmodule.c"]),
                             ("/usr/bin/cc", ["-O2", "-rdynamic", "-o", d + "/host/dlmain", sources + "/dlmain.c", "-ldl"]),
                             ("/usr/bin/cc", ["-O2", "-shared", "-fPIC", "-o", d + "/host/dlmodule.so", sources + "/dlmodule.c"])] {
            let r = try Subprocess.run(tool, args, timeout: 300)
            try #require(r.status == 0, "\(tool) \(args): \(r.stderr)")
        }
        let host = try Subprocess.run(d + "/host/dlmain", [d + "/host"], timeout: 60)
        try #require(host.status == 0, "\(host.stdout) \(host.stderr)")
        #expect(host.stdout.contains("module_call(5) = 2011 (program_counter 1)\n") && host.stdout.hasSuffix("done\n"), "\(host.stdout)")
        let image = try Boot.imageCopy()
        defer { try? FileManager.default.removeItem(atPath: image) }
        _ = try Ports.image(["put", image, d + "/dlmain", "/tmp/dlmain"])
        _ = try Ports.image(["put", image, d + "/dlmodule.so", "/tmp/dlmodule.so"])
        let guest = try GuestRun.run(["/tmp/dlmain", "/tmp"], image: image)
        #expect(guest.status == 0, "\(guest.stdout) \(guest.stderr)")
        #expect(guest.stdout == host.stdout, "guest:\n\(guest.stdout)\nhost:\n\(host.stdout)")
    }

    /// The interpreter works as a program: an expression's result, string.format of doubles as the
    /// host's Lua prints them, and a script from standard input.
    @Test func luaRunsAsTheHostsBuild() throws {
        let program = "print(string.format('%.17g %5.2f %x %g', 0.1, math.pi, 255, 1e300 * 10), 7 // 2, 2^53, 10 / 4)"
        let host = try Subprocess.run(try Ports.host("lua"), ["-e", program], timeout: 60)
        try #require(host.status == 0, "\(host.stderr)")
        let guest = try GuestRun.run(["/usr/bin/lua", "-e", program])
        #expect(guest.status == 0, "\(guest.stderr)")
        #expect(guest.stdout == host.stdout, "guest \(guest.stdout.debugDescription) host \(host.stdout.debugDescription)")
        let piped = try GuestRun.run(["sh", "-c", "echo 'for i = 1, 3 do io.write(i * i, \" \") end print()' | /usr/bin/lua -"])
        #expect(piped.stdout == "1 4 9 \n", "\(piped.stdout) \(piped.stderr)")
    }

    /// Every thread's FS base is its own (issue 11: musl's libm reads the stack-protector canary at
    /// %fs:0x28): CPrograms/fsbase.c, built by swiftvm-cc, checks the TCB each program starts with
    /// (%fs:0 its own address, a canary with a zero low byte), arch_prctl's errors, fork keeping the
    /// TCB and exec replacing it, and two processes with different FS bases taking 2,000 turns
    /// through pipes, each always seeing its own — also when one sets its base with WRFSBASE,
    /// which PVM lets user code run. Under swiftvm and under QEMU TCG, same kernel and binary.
    @Test func twoProcessesKeepTheirOwnFSBase() throws {
        let source = RepositoryPaths.root.appendingPathComponent("Tests/BootTests/CPrograms/fsbase.c").path
        let dir = try Ports.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = dir.appendingPathComponent("fsbase").path
        let cc = try Subprocess.run(try RepositoryPaths.requireBuilt("bin/swiftvm-cc"), ["-O2", "-Wall", "-Werror", "-o", program, source], timeout: 300)
        try #require(cc.status == 0, "\(cc.stderr)")
        let image = try Boot.imageCopy()
        defer { try? FileManager.default.removeItem(atPath: image) }
        _ = try Ports.image(["put", image, program, "/tmp/fsbase"])
        let r = try GuestRun.run(["/tmp/fsbase"], image: image)
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(!r.stdout.contains("FAIL") && r.stdout.hasSuffix("done\n"), "\(r.stdout)")
        #expect(r.stdout.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == 13, "\(r.stdout)")
        // PVM runs user code under the host's CR4, where WRFSBASE is allowed: then each process keeps
        // its own; KVM on hardware refuses it (the guest's CR4.FSGSBASE is clear).
        #expect(r.stdout.contains("ok wrfsbase: 2000 turns, each process with its own base\n")
                || r.stdout.contains("ok wrfsbase in user mode: SIGILL\n"), "\(r.stdout)")

        let q = try QEMU.boot(append: "init=init -- sh", microvm: true, disk: QEMU.Disk(image), input: "/tmp/fsbase\nexit $?\n")
        #expect(!q.timedOut)
        #expect(q.stdout.contains("ok 2000 turns: the parent always sees its own FS base\n"), "\(q.stdout)")
        #expect(q.stdout.contains("ok wrfsbase in user mode: SIGILL\n"), "QEMU's CR4.FSGSBASE is the kernel's, clear: \(q.stdout)")
        #expect(!q.stdout.contains("FAIL") && q.stdout.contains("\ndone\n"), "\(q.stdout)")
        #expect(q.status == (0 << 1) | 1, "the shell's exit status: fsbase's")
    }

    /// The C library functions the ports needed (LibCPosix: sscanf, random, locale "C", the
    /// one-byte wide conversions, strpbrk/strcoll, mkstemp/tmpfile, popen/pclose/system, assert):
    /// CPrograms/posixextras.c built by swiftvm-cc prints in the guest exactly what the host's glibc
    /// build prints.
    @Test func posixExtrasMatchGlibc() throws {
        let source = RepositoryPaths.root.appendingPathComponent("Tests/BootTests/CPrograms/posixextras.c").path
        let dir = try Ports.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try Boot.imageCopy()
        defer { try? FileManager.default.removeItem(atPath: image) }
        for (tool, output) in [(try RepositoryPaths.requireBuilt("bin/swiftvm-cc"), "guest"), ("/usr/bin/cc", "host")] {
            let r = try Subprocess.run(tool, ["-O2", "-o", dir.appendingPathComponent(output).path, source], timeout: 300)
            try #require(r.status == 0, "\(tool): \(r.stderr)")
        }
        let host = try Subprocess.run(dir.appendingPathComponent("host").path, [], timeout: 60)
        try #require(host.status == 0 && host.stdout.hasSuffix("done\n"), "\(host.stdout) \(host.stderr)")
        _ = try Ports.image(["put", image, dir.appendingPathComponent("guest").path, "/tmp/posixextras"])
        let guest = try GuestRun.run(["/tmp/posixextras"], image: image)
        #expect(guest.status == 0, "\(guest.stderr)")
        let hostLines = host.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let guestLines = guest.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let differences = zip(hostLines, guestLines).filter { $0 != $1 }.map { "guest \($1)\n   host \($0)" }
        #expect(hostLines.count == guestLines.count, "\(guest.stdout)")
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }

    /// The C library calls SQLite and terminal programs needed (CPrograms/posixgaps.c: pthread.h
    /// mutexes, fcntl record locks, lstat/readlink, utime/utimes, sysconf, pwd.h, dlfcn.h, termios.h
    /// and ioctl on descriptors that are not terminals, cfmakeraw and the speed calls): the guest
    /// prints exactly what the host's glibc build prints; then, in the guest only, the calls whose
    /// answer is this system's documented one (LibC/include: pthread.h, sys/resource.h, unistd.h).
    @Test func posixGapsMatchGlibcAndTheDocumentedAnswers() throws {
        let source = RepositoryPaths.root.appendingPathComponent("Tests/BootTests/CPrograms/posixgaps.c").path
        let dir = try Ports.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try Boot.imageCopy()
        defer { try? FileManager.default.removeItem(atPath: image) }
        for (tool, output) in [(try RepositoryPaths.requireBuilt("bin/swiftvm-cc"), "guest"), ("/usr/bin/cc", "host")] {
            let r = try Subprocess.run(tool, ["-O2", "-Wall", "-Werror", "-o", dir.appendingPathComponent(output).path, source], timeout: 300)
            try #require(r.status == 0, "\(tool): \(r.stderr)")
        }
        let host = try Subprocess.run("/bin/sh", ["-c", "cd '\(dir.path)' && ./host"], timeout: 60)
        try #require(host.status == 0 && host.stdout.hasSuffix("done\n"), "\(host.stdout) \(host.stderr)")
        _ = try Ports.image(["put", image, dir.appendingPathComponent("guest").path, "/tmp/posixgaps"])
        let guest = try GuestRun.run(["sh", "-c", "cd /tmp && ./posixgaps"], image: image)
        #expect(guest.status == 0, "\(guest.stderr)")
        let parts = guest.stdout.components(separatedBy: "swiftvm only\n")
        try #require(parts.count == 2, "\(guest.stdout)")
        let hostLines = host.stdout.split(separator: "\n").dropLast()   // "done"
        let guestLines = parts[0].split(separator: "\n")
        let differences = zip(hostLines, guestLines).filter { $0 != $1 }.map { "guest \($1)\n   host \($0)" }
        #expect(hostLines.count == guestLines.count && hostLines.count > 80, "\(hostLines.count) host lines, \(guestLines.count) guest lines")
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        let documented = """
            pthread_mutex_lock(&held) = 35 (-)
            pthread_create(&thread, 0, nothing, 0) = 11 (-)
            pthread_join(pthread_self(), 0) = 35 (-)
            getrusage(RUSAGE_SELF, &usage) = -1 (ENOSYS)
            getrusage(5, &usage) = -1 (EINVAL)
            symlink("x", "no-such-link") = -1 (EPERM)
            symlink("x", "/tmp") = -1 (EEXIST)
            getuid() + geteuid() + getgid() + getegid() = 0 (-)
            fchown(fd, 0, 0) = 0 (-)
            fchown(fd, 1000, 1000) = -1 (EPERM)
            chown("gaps.tmp", 1000, (gid_t)-1) = 0 (-)
            sysconf(_SC_NPROCESSORS_ONLN) = 1 (-)
            sysconf(_SC_OPEN_MAX) = 256 (-)
            sysconf(_SC_PHYS_PAGES) > 1000 = 1 (-)
            done

            """
        #expect(parts[1] == documented, "\(parts[1])")
    }

    /// The sqlite3 shell (Debian's build of SQLite 3.40.1, unmodified) on a database file in the
    /// guest: tables, a transaction rolled back, indexes, JSON, FTS5, math functions, printf of
    /// doubles, then the file opened again by a second sqlite3 process — the output is exactly the
    /// host build's for the same script, and `PRAGMA integrity_check` is ok.
    @Test func sqliteShellRunsAsTheHostsBuild() throws {
        let script = """
            CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL);
            INSERT INTO t(name, score) VALUES ('ada', 91.5), ('brian', 78.25), ('carla', 88.0), ('dmitri', NULL);
            BEGIN; DELETE FROM t; ROLLBACK;
            CREATE INDEX t_score ON t(score);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
              INSERT INTO t(name, score) SELECT 'p' || i, (i * 37) % 101 / 7.0 FROM n;
            SELECT count(*), printf('%.6f', avg(score)), printf('%.3e', sum(score)), max(name) FROM t;
            SELECT name, score FROM t WHERE score > 88 ORDER BY score DESC, name LIMIT 5;
            SELECT json_object('n', count(*), 'top', (SELECT name FROM t ORDER BY score DESC LIMIT 1)) FROM t;
            CREATE VIRTUAL TABLE docs USING fts5(body);
            INSERT INTO docs VALUES ('the quick brown fox'), ('jumps over the lazy dog'), ('a quick brown dog');
            SELECT rowid, highlight(docs, 0, '[', ']') FROM docs WHERE docs MATCH 'quick AND dog';
            SELECT printf('%.10g %.4f %d', sqrt(2), pi(), 7 / 2), round(2.5), 1e300 * 1e10, typeof(1e300 * 1e10);
            PRAGMA integrity_check;
            """
        let reopen = "SELECT count(*), sum(id) FROM t; SELECT count(*) FROM docs; PRAGMA journal_mode; PRAGMA integrity_check;"
        let dir = try Ports.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try script.write(to: dir.appendingPathComponent("script.sql"), atomically: true, encoding: .utf8)
        let sqlite = try Ports.host("sqlite/sqlite3")
        let host = try Subprocess.run("/bin/sh", ["-c", "cd '\(dir.path)' && '\(sqlite)' test.db < script.sql && '\(sqlite)' test.db '\(reopen)'"], timeout: 60)
        try #require(host.status == 0, "\(host.stderr)")
        let image = try Boot.imageCopy()
        defer { try? FileManager.default.removeItem(atPath: image) }
        _ = try Ports.image(["put", image, dir.appendingPathComponent("script.sql").path, "/tmp/script.sql"])
        let guest = try GuestRun.run(["sh", "-c", "cd /tmp && /usr/bin/sqlite3 test.db < script.sql && /usr/bin/sqlite3 test.db '\(reopen)'"], image: image)
        #expect(guest.status == 0, "\(guest.stderr)")
        #expect(guest.stderr.isEmpty, "\(guest.stderr)")
        #expect(guest.stdout == host.stdout, "guest:\n\(guest.stdout)\nhost:\n\(host.stdout)")
        #expect(guest.stdout.hasSuffix("504|127260\n3\ndelete\nok\n"), "\(guest.stdout)")
    }

    /// SQLite's fuzzcheck (its own test program, built with upstream's FUZZCHECK_OPT) over every
    /// test/fuzzdata*.db in the guest (46,217 cases): every case runs with no error, as many cases as
    /// the host build counts. 1 GiB of guest memory, since fuzzdata2 makes fuzzcheck use ~250 MB on
    /// the host too.
    @Test func sqliteFuzzcheckPassesOverItsFuzzData() throws {
        let share = try RepositoryPaths.requireBuilt("ports/root/usr/share/ports/sqlite")
        let databases = try FileManager.default.contentsOfDirectory(atPath: share).filter { $0.hasPrefix("fuzzdata") && $0.hasSuffix(".db") }.sorted()
        try #require(databases.count == 8, "\(databases)")
        let host = try Subprocess.run("/bin/sh", ["-c", "cd '\(share)' && '\(try Ports.host("sqlite/fuzzcheck"))' \(databases.joined(separator: " "))"], timeout: 1800)
        try #require(host.status == 0, "\(host.stdout) \(host.stderr)")
        /// "fuzzcheck: 0 errors out of N tests in T seconds": N, if there were no errors.
        func cases(_ output: String) -> Int? {
            guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("fuzzcheck: 0 errors out of ") }) else { return nil }
            return Int(line.split(separator: " ")[5])
        }
        let expected = try #require(cases(host.stdout), "\(host.stdout)")
        let command = "cd /usr/share/ports/sqlite && ./fuzzcheck \(databases.joined(separator: " "))"
        let timeout = 3600
        let guest = try Subprocess.run(try RepositoryPaths.requireBuilt("swiftvm"),
                                       ["run", try Ports.imageWithTests(), "--ephemeral", "--memory", "1G",
                                        "--timeout", "\(timeout)", "--", "sh", "-c", command], timeout: Double(timeout + 60))
        #expect(guest.status == 0, "\(guest.stdout.suffix(3000)) \(guest.stderr.suffix(3000))")
        #expect(cases(guest.stdout) == expected, "host: \(expected) cases; guest: \(guest.stdout.suffix(2000)) \(guest.stderr.suffix(2000))")
        for database in databases { #expect(guest.stdout.contains("\(database): 0% 10%"), "\(database) did not run") }
    }
}
