// FaultSymbolsGDBTests.swift — a fault in a process whose program gdb holds no symbols for (issue 15
// §2): the VMM makes it a library event first, so gdb shows the stop with that program's symbols.
// Made real: while `ls` is stopped at a breakpoint (gdb holds ls.elf), gdb writes `ud2` at fsd's
// resume address through fsd's own thread; ls's next request wakes fsd, which dies of #UD — and
// gdb names the faulting function from fsd.elf, as addr2line does. init restarts fsd, ls's call is
// repeated (EPIPE), and the listing still comes out.
import Foundation
import TestSupport
import Testing

@Test func gdbShowsAFaultInAnotherProgramWithThatProgramsSymbols() throws {
    let image = try RepositoryPaths.requireBuilt("os.img")
    let fsd = try RepositoryPaths.requireBuilt("fsd.elf")
    let s = try GDBSession.run(cmdline: "-- sh", image: image, commands: [
        "set breakpoint pending on",
        "break ls_main",
        "continue",                          // ls stopped at ls_main: gdb holds ls.elf's symbols
        #"python import re; gdb.execute('thread ' + re.search(r'^\*?\s*(\d+)\s+Thread \d+ \(fsd, ', gdb.execute('info threads', to_string=True), re.M).group(1))"#,
        "set {unsigned short}$pc = 0x0b0f",  // ud2 where fsd resumes
        "delete",
        "continue",                          // → SIGILL in fsd
        "echo ==fault==\\n",
        "info registers rip",
        "info symbol $pc",
        "echo ==end==\\n",
        "continue",
    ], typing: ["ls /", "exit"])
    let t = s.transcript
    #expect(!s.gdb.timedOut && !s.vm.timedOut, "\(t)")
    #expect(t.range(of: #"Thread \d+ received signal SIGILL"#, options: .regularExpression) != nil, "\(t)")
    let part = try #require(t.range(of: "==fault==").flatMap { a in t.range(of: "==end==").map { t[a.upperBound..<$0.lowerBound] } }, "\(t)")
    let rip = try #require(part.firstMatch(of: #/rip +0x([0-9a-f]+) /#).flatMap { UInt64($0.output.1, radix: 16) }, "\(part)")
    // gdb's symbol for the faulting pc comes from fsd.elf (not ls.elf, which it held before) and is
    // the function addr2line names there.
    let symbol = try #require(part.firstMatch(of: #/\n(\S+) (\+ \d+ )?in section \.text of (\S+)\n/#), "\(part)")
    #expect(symbol.output.3.hasSuffix("/fsd.elf"), "\(part)")
    // The ELF symbol of fsd.elf that covers the pc: the text symbol with the highest address ≤ pc.
    let nm = try Subprocess.run("/usr/bin/nm", [fsd], timeout: 60)
    let below = nm.stdout.split(separator: "\n").compactMap { line -> (UInt64, String)? in
        let f = line.split(separator: " ")
        guard f.count == 3, "tT".contains(f[1]), let a = UInt64(f[0], radix: 16), a <= rip else { return nil }
        return (a, String(f[2]))
    }
    let top = try #require(below.map(\.0).max(), "no fsd.elf symbol below \(String(rip, radix: 16))")
    let names = below.filter { $0.0 == top }.map(\.1)   // aliases share an address
    #expect(names.contains(String(symbol.output.1)), "gdb: \(symbol.output.1), nm: \(names): \(part)")
    #expect(s.vm.stdout.contains("fsd"), "\(s.vm.stdout)")
    #expect(s.vm.stdout.contains("boot"), "ls still listed / after fsd's restart: \(s.vm.stdout)")
    #expect(s.vm.status == 0, "\(s.vm.stdout)")
}
