// CoreFileGDBTests.swift — `swiftvm run --core-dir DIR` (issue 15 §3): a ring-3 program that dies of a
// page fault leaves DIR/core.NAME.PID, and the real gdb opens it with the program's ELF: the signal,
// the faulting instruction's registers, and a backtrace whose frames name the functions addr2line
// names for the same addresses.
import Foundation
import TestSupport
import Testing

@Test func aUserFaultWritesACoreFileGDBOpens() throws {
    try RepositoryPaths.requireKVM()
    let crash = try RepositoryPaths.requireBuilt("crash.elf")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swiftvm-cores-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // init is `crash null-read`: it reads address 8 (a hardware page fault, not a Swift trap).
    let vm = try Subprocess.run(try RepositoryPaths.requireBuilt("swiftvm"), [
        "run", try RepositoryPaths.requireBuilt("kernel.elf"), "--initrd", try RepositoryPaths.requireBuilt("initrd.img"),
        "--cmdline", "init=crash -- null-read", "--no-input", "--timeout", "120", "--core-dir", dir], timeout: 180)
    let core = dir + "/core.crash.1"
    #expect(vm.stderr.contains("pid 1 (crash) died of signal 11; core written to \(core)"), "\(vm.stderr)")
    #expect(vm.stdout.contains("pid 1 (crash): page fault at 0x8 (read, not mapped)"), "\(vm.stdout)")
    #expect(FileManager.default.fileExists(atPath: core))

    let g = try Subprocess.run("/usr/bin/gdb", ["-batch", "-nx", crash, core, "-ex", "info registers rip cs", "-ex", "bt", "-ex", "x/gx $rsp"], timeout: 120)
    let t = g.stdout + g.stderr
    #expect(t.contains("Program terminated with signal SIGSEGV, Segmentation fault."), "\(t)")
    #expect(t.range(of: #"cs +0x33 +51"#, options: .regularExpression) != nil, "\(t)")
    // The frames gdb prints are the ones addr2line names for the faulting rip, inlined callers
    // included (`-i`: read() is inlined into crash_main): the same function and file:line, in order.
    let rip = try #require(t.firstMatch(of: #/rip +0x([0-9a-f]+) /#).flatMap { UInt64($0.output.1, radix: 16) }, "\(t)")
    let a2l = try Subprocess.run("/usr/bin/addr2line", ["-f", "-i", "-e", crash, "0x" + String(rip, radix: 16)], timeout: 60)
    let lines = a2l.stdout.split(separator: "\n").map { String($0.split(separator: " ").first ?? "") }
    #expect(lines.count >= 4, "addr2line: \(a2l.stdout)")
    let frames = t.split(separator: "\n").filter { $0.hasPrefix("#") }
    for i in 0..<(lines.count / 2) {
        let function = lines[2 * i], location = lines[2 * i + 1]
        let frame = try #require(frames.first { $0.hasPrefix("#\(i) ") }, "no frame #\(i): \(t)")
        #expect(frame.contains(" \(function) (") && frame.hasSuffix(" at \(location)"), "frame #\(i) should be \(function) at \(location): \(t)")
    }
    // The stack page is in the core: x/gx $rsp reads a value, not "Cannot access memory".
    #expect(!t.contains("Cannot access memory"), "\(t)")
}

/// Debugger.reportsFaults (Guest/Kernel/Kernel/Debugger.swift), a Bool global of the kernel.
let reportsFaultsSymbol = "'$e6Kernel8DebuggerO13reportsFaultsSbvpZ'"

@Test func aKernelPanicWritesACoreGDBOpensWithTheKernelsVariablesAndBacktrace() throws {
    try RepositoryPaths.requireKVM()
    let kernel = try RepositoryPaths.requireBuilt("kernel.elf")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swiftvm-kcore-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let core = dir + "/kernel.core"
    // test.panic-deep: a kernel-mode page fault three Swift calls below kernel_main (PanicTest.swift).
    let vm = try Subprocess.run(try RepositoryPaths.requireBuilt("swiftvm"), [
        "run", kernel, "--initrd", try RepositoryPaths.requireBuilt("initrd.img"),
        "--cmdline", "test.panic-deep", "--no-input", "--timeout", "120", "--core", core, "--memory", "64M"], timeout: 180)
    #expect(vm.status == 101, "\(vm.stdout)\(vm.stderr)")
    #expect(vm.stderr.contains("kernel panic; core written to \(core)"), "\(vm.stderr)")
    #expect(!FileManager.default.fileExists(atPath: core + ".partial"))
    // As large as RAM past the headers, but sparse: the disk holds what the guest touched.
    let size = try #require(try FileManager.default.attributesOfItem(atPath: core)[.size] as? Int)
    #expect(size > 64 << 20 && size < (64 << 20) + (1 << 20), "\(size)")

    let g = try Subprocess.run("/usr/bin/gdb", ["-batch", "-nx", kernel, core, "-ex", "info threads", "-ex", "bt",
                                                "-ex", "print/d *(unsigned char *)&\(reportsFaultsSymbol)"], timeout: 120)
    let t = g.stdout + g.stderr
    #expect(t.contains("Program terminated with signal SIGSEGV"), "\(t)")
    // The panicking function and its two callers, by their (mangled) Swift names.
    let lines = t.split(separator: "\n")
    for (i, function) in ["inner", "middle", "outer"].enumerated() {
        let frame = lines.first { $0.hasPrefix("#\(i) ") }
        #expect(frame.map { $0.contains("PanicTest") && $0.contains(function) } == true, "frame #\(i) should be PanicTest.\(function): \(t)")
    }
    // A kernel variable read from the core: Debugger.reportsFaults, false unless the VMM asked for
    // fault reports (as --core does), so 1 here is the guest's memory, not zeros.
    #expect(t.contains("$1 = 1"), "\(t)")
    // The kernel is the core's first thread (its thread id is the gdb stub's kernel thread id).
    #expect(t.range(of: #"\* 1 +LWP 2147483647"#, options: .regularExpression) != nil, "\(t)")
}
