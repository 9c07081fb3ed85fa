// CrashReportTests.swift — crashes explain themselves on the host (issue 15): `swiftvm run`
// symbolizes a kernel panic's backtrace and a killed program's rip after the guest stops, and
// `swiftvm symbolize` does it on request; every frame is checked against binutils' addr2line.
import Foundation
import TestSupport
import Testing

/// The frames printed under the report line that starts with `header`.
func reportFrames(_ stderr: String, header: String) -> [PrintedFrame] {
    let lines = stderr.split(separator: "\n")
    guard let start = lines.firstIndex(where: { $0.hasPrefix(header) }) else { return [] }
    return lines[(start + 1)...].prefix { $0.hasPrefix("  #") }.compactMap { PrintedFrame($0) }
}

func expectFramesMatchAddr2Line(_ frames: [PrintedFrame], elf: String) throws {
    for f in frames {
        let want = try Addr2Line.lookup(elf, f.address)
        #expect(f.function == want.function, "0x\(String(f.address, radix: 16)): \(f.function) vs \(want.function)")
        #expect(f.location == want.location, "0x\(String(f.address, radix: 16)): \(f.location) vs \(want.location)")
    }
}

@Test func bootAKernelFaultInSwiftCodeIsSymbolizedOnTheHost() throws {
    let elf = try RepositoryPaths.requireBuilt("kernel.elf")
    let r = try Boot.kernel(cmdline: "test.panic-deep")
    #expect(r.status == 101)
    #expect(r.stdout.contains("[kernel] PANIC: page fault (vector 14) in kernel mode"))
    let frames = reportFrames(r.stderr, header: "swiftvm: kernel panic, backtrace (\(elf)):")
    #expect(frames.count >= 3, "\(r.stderr)")
    try expectFramesMatchAddr2Line(frames, elf: elf)
    // The three hook functions, innermost first, demangled, and the panic's rip is frame 0.
    let names = frames.compactMap(\.demangled)
    #expect(names.count >= 3, "\(r.stderr)")
    for (i, name) in ["inner", "middle", "outer"].enumerated() where i < names.count {
        #expect(names[i].hasPrefix("static Kernel.PanicTest.\(name)("), "\(r.stderr)")
    }
    #expect(frames.first?.location.contains("PanicTest.swift:") == true, "\(r.stderr)")
}

@Test func bootAKernelPanicInAnOSImageFindsTheKernelELFInBuild() throws {
    let r = try Boot.swiftvm(["run", try RepositoryPaths.requireBuilt("os.img"), "--cmdline", "test.panic"])
    #expect(r.status == 101)
    let frames = reportFrames(r.stderr, header: "swiftvm: kernel panic, backtrace (")
    #expect(!frames.isEmpty, "\(r.stderr)")
    try expectFramesMatchAddr2Line(frames, elf: try RepositoryPaths.requireBuilt("kernel.elf"))
}

@Test func bootAUserProgramKilledByAFaultHasItsBacktraceSymbolized() throws {
    let elf = try RepositoryPaths.requireBuilt("crash.elf")
    let r = try Boot.kernel(cmdline: "init=crash -- null-read-deep")
    #expect(r.stdout.contains("(crash): page fault"), "\(r.stdout)")
    let frames = reportFrames(r.stderr, header: "swiftvm: crash killed, backtrace (\(elf)):")
    // The faulting rip, then the callers the kernel found by the program's frame pointers, down
    // to its entry point: each the same as binutils' addr2line says for that address.
    #expect(frames.count >= 3, "\(r.stderr)")
    try expectFramesMatchAddr2Line(frames, elf: elf)
    #expect(frames.contains { $0.function == "crash_main" }, "\(r.stderr)")
    #expect(frames.filter { $0.demangled?.contains("readThrough(") == true }.count >= 2, "\(r.stderr)")
    #expect(frames.last?.function == "_start", "\(r.stderr)")
    // The faulting function is crash's `read(_:)` (main.swift), demangled.
    let frame = try #require(frames.first)
    #expect(frame.demangled?.contains("read(") == true, "\(r.stderr)")
    #expect(frame.location.contains("TestPrograms/crash/main.swift:"), "\(r.stderr)")
}

@Test func symbolizeCommandPrintsFunctionDemangledFileAndLine() throws {
    let elf = try RepositoryPaths.requireBuilt("kernel.elf")
    let nm = try Subprocess.run("/usr/bin/nm", ["--defined-only", elf], timeout: 60)
    let kernelMain = try #require(nm.stdout.split(separator: "\n").first { $0.hasSuffix(" kernel_main") })
    let address = try #require(UInt64(kernelMain.prefix { $0 != " " }, radix: 16)) + 4
    let r = try Subprocess.run(try RepositoryPaths.requireBuilt("swiftvm"), ["symbolize", elf, "0x" + String(address, radix: 16)], timeout: 60)
    #expect(r.status == 0, "\(r.stderr)")
    let frame = try #require(PrintedFrame(Substring(r.stdout.dropLast())))
    #expect(frame.address == address)
    try expectFramesMatchAddr2Line([frame], elf: elf)
}

@Test(arguments: [
    ("/nonexistent/kernel.elf", "no such file"),
    (RepositoryPaths.root.appendingPathComponent("Package.swift").path, "not an ELF file"),
])
func symbolizeCommandErrorsAreOneLineNamingTheFile(path: String, problem: String) throws {
    let r = try Subprocess.run(try RepositoryPaths.requireBuilt("swiftvm"), ["symbolize", path, "0x1000"], timeout: 60)
    #expect(r.status == 1)
    #expect(r.stderr == "swiftvm: \(path): \(problem)\n")
}

@Test func bootARunningVMMDoesNotMapLibdw() throws {
    // The symbolizer loads libdw only once the guest has stopped: a running VMM (here held before
    // the first guest instruction by --gdb-wait) has neither libdw nor libelf mapped.
    try RepositoryPaths.requireKVM()
    let socket = FileManager.default.temporaryDirectory.appendingPathComponent("swiftvm-maps-\(getpid()).sock").path
    let vm = try Subprocess([try RepositoryPaths.requireBuilt("swiftvm"), "run", try RepositoryPaths.requireBuilt("kernel.elf"),
                             "--gdb", "unix:\(socket)", "--gdb-wait", "--no-input", "--timeout", "60"])
    defer { try? FileManager.default.removeItem(atPath: socket) }
    #expect(waitForFile(socket, timeout: 20))
    let maps = try String(contentsOfFile: "/proc/\(vm.pid)/maps", encoding: .utf8)
    vm.signal(SIGKILL)
    _ = vm.wait(timeoutSeconds: 10)
    #expect(maps.contains("swiftvm"), "\(maps)")
    #expect(!maps.contains("libdw") && !maps.contains("libelf"), "\(maps)")
}

@Test func bootSymbolsOptionNamesWhereTheELFsAre() throws {
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("swiftvm-nosymbols-\(getpid())").path
    try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: empty) }
    let image = try RepositoryPaths.requireBuilt("os.img")
    let none = try Boot.swiftvm(["run", image, "--cmdline", "init=crash -- null-read", "--symbols", empty])
    #expect(none.stderr.contains("swiftvm: crash killed: no crash.elf to symbolize with (use --symbols DIR)"), "\(none.stderr)")
    let build = RepositoryPaths.root.appendingPathComponent("build").path
    let found = try Boot.swiftvm(["run", image, "--cmdline", "init=crash -- null-read", "--symbols", build])
    #expect(found.stderr.contains("swiftvm: crash killed, backtrace (\(build)/crash.elf):"), "\(found.stderr)")
}
