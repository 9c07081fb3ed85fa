// ProcessThreadsGDBTests.swift — the real gdb sees the guest's processes as threads (issue 15 §1, §2):
// `info threads` lists them by name, `thread N` reads that process's saved registers and memory
// through its own page tables (checked against the program's ELF file on the host), gdb loads each
// program's symbols by itself (no add-symbol-file), and a breakpoint set by name in `ls` before
// `ls` exists stops in `ls` and in nothing else the shell runs.
import Foundation
import TestSupport
import Testing

/// The bytes of `elf`'s loadable segments at guest-virtual `address` (nil outside them).
func elfBytes(_ elf: String, at address: UInt64, count: Int) throws -> [UInt8]? {
    let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: elf)))
    func u64(_ o: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(data[o + $1]) << (8 * UInt64($1)) } }
    func u32(_ o: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(data[o + $1]) << (8 * UInt32($1)) } }
    func u16(_ o: Int) -> Int { Int(data[o]) | Int(data[o + 1]) << 8 }
    let phoff = Int(u64(0x20)), phentsize = u16(0x36), phnum = u16(0x38)
    for i in 0..<phnum {
        let h = phoff + i * phentsize
        guard u32(h) == 1 else { continue }   // PT_LOAD
        let offset = u64(h + 8), vaddr = u64(h + 16), filesz = u64(h + 32)
        if address >= vaddr && address + UInt64(count) <= vaddr + filesz {
            let start = Int(offset + address - vaddr)
            return Array(data[start..<(start + count)])
        }
    }
    return nil
}

/// gdb's `x/Nxb` lines ("0x4012a0 <f+4>:\t0x0f\t0x05…") → the bytes, in order.
func examinedBytes(_ text: Substring) -> [UInt8] {
    text.split(separator: "\n").flatMap { line -> [UInt8] in
        guard let colon = line.range(of: ":\t") else { return [] }
        return line[colon.upperBound...].split(separator: "\t").compactMap { UInt8($0.dropFirst(2), radix: 16) }
    }
}

@Test func gdbSeesProcessesAsThreadsWithTheirOwnRegistersMemoryAndSymbols() throws {
    let image = try RepositoryPaths.requireBuilt("os.img")
    let fsd = try RepositoryPaths.requireBuilt("fsd.elf")
    _ = try RepositoryPaths.requireBuilt("ls.elf")
    let script = RepositoryPaths.root.appendingPathComponent("scripts/gdb/swiftvm.py").path
    // init starts the terminal server and the other servers, runs hello, then the shell on the
    // terminal ("sh tty"); the shell runs `echo one`, then `ls /`, then exits (which powers the
    // machine off).
    let s = try GDBSession.run(cmdline: "-- sh tty", image: image, commands: [
        "source \(script)",   // Swift names demangled; `thread N` loads that process's symbols
        "set breakpoint pending on",
        "break ls_main",                     // not loaded yet: pending until ls starts
        "continue",
        "info threads",
        "bt",
        "echo ==fsd==\\n",
        // gdb numbers threads itself: find fsd's number in `info threads`, then switch to it.
        #"python import re; gdb.execute('thread ' + re.search(r'^\*?\s*(\d+)\s+Thread \d+ \(fsd, ', gdb.execute('info threads', to_string=True), re.M).group(1))"#,
        "info registers rip cs",
        "x/16xb $pc",
        "bt",
        "echo ==end==\\n",
        "delete",
        "continue",
    ], typing: ["echo one", "ls /", "exit"])
    let t = s.transcript
    #expect(!s.gdb.timedOut && !s.vm.timedOut, "\(t)")
    // Stopped in ls, once: not in hello (run by init), not in echo, not in the shell.
    #expect(t.components(separatedBy: "Breakpoint 1, ").count == 2, "\(t)")
    // ls_main's symbol from build/ls.elf, loaded by gdb itself (a library event at ls's start):
    // "from …/ls.elf", or, where ls.elf has line information for it, its source line.
    #expect(t.range(of: #"Breakpoint 1, (0x[0-9a-f]+ in )?ls_main \(\) (from /\S+/ls\.elf|at /\S+/Programs/ls/main\.swift:\d+)"#,
                    options: .regularExpression) != nil, "\(t)")
    #expect(t.range(of: #"#0 +(0x[0-9a-f]+ in )?ls_main \(\)"#, options: .regularExpression) != nil, "\(t)")
    #expect(t.range(of: #"#1 +0x[0-9a-f]+ in _start \(\) at \S+/UserRuntime/start\.S:\d+"#, options: .regularExpression) != nil, "\(t)")
    // info threads: every process by name and pid, the kernel, and ls as the stopped one.
    for name in ["init", "ttyd", "blkd", "fsd", "sh"] {
        #expect(t.range(of: #"Thread \d+ \("# + name + #", pid \d+, "#, options: .regularExpression) != nil, "\(name): \(t)")
    }
    #expect(t.range(of: #"\(init, pid 1, "#, options: .regularExpression) != nil, "\(t)")
    #expect(t.range(of: #"\n\* +\d+ +Thread \d+ \(ls, pid \d+, running\)"#, options: .regularExpression) != nil, "\(t)")
    #expect(t.contains("(kernel, vCPU 0)"), "\(t)")
    // fsd waits for its next request: blocked in IPC receive.
    #expect(t.range(of: #"\(fsd, pid \d+, IPC receive on fs\)"#, options: .regularExpression) != nil, "\(t)")
    // fsd's thread: its saved user registers, and its memory read through its own page tables:
    // the 16 bytes at its rip are the ones in fsd.elf at that address.
    let part = try #require(t.range(of: "==fsd==").flatMap { a in t.range(of: "==end==").map { t[a.upperBound..<$0.lowerBound] } }, "\(t)")
    #expect(part.range(of: #"cs +0x33 +51"#, options: .regularExpression) != nil, "\(part)")
    let rip = try #require(part.firstMatch(of: #/rip +0x([0-9a-f]+) /#).flatMap { UInt64($0.output.1, radix: 16) }, "\(part)")
    #expect(rip < 0x8000_0000_0000, "\(part)")
    let read = examinedBytes(part)
    let expected = try #require(try elfBytes(fsd, at: rip, count: 16), "rip \(String(rip, radix: 16)) is not in fsd.elf's text")
    #expect(read == expected, "\(part)")
    // fsd's backtrace with fsd's own symbols (the thread switch loaded them), demangled, with
    // file:line — down to its main loop in Servers/fsd — and ending at its entry point.
    // (The frame `thread N` prints itself comes before its hook loads the symbols, so it may
    // carry the previous program's names: only the backtrace after the load counts.)
    let loaded = try #require(part.range(of: "swiftvm: symbols of fsd ("), "\(part)")
    let frames = part[loaded.upperBound...].split(separator: "\n").filter { $0.hasPrefix("#") }
    #expect(frames.count >= 3, "\(part)")
    #expect(!frames.contains { $0.contains("$e") || $0.contains("?? ") }, "\(part)")
    #expect(frames.contains { $0.range(of: #" at \S+/Servers/fsd/\S+\.swift:\d+"#, options: .regularExpression) != nil }, "\(part)")
    #expect(frames.last?.contains("_start") == true, "\(part)")
    #expect(t.contains("[Inferior 1 (Remote target) exited normally]"), "\(t)")
    // The shell did run everything (the breakpoint held ls, nothing else).
    #expect(s.vm.stdout.contains("one"), "\(s.vm.stdout)")
    #expect(s.vm.stdout.contains("bin"), "\(s.vm.stdout)")
    #expect(s.vm.status == 0)
}
