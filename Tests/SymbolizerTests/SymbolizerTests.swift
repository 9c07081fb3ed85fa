// SymbolizerTests.swift — the libdw symbolizer against binutils' addr2line on the real kernel and
// a real user program, the runtime demangler against swift-demangle, and the one-line errors.
import Foundation
import Symbolizer
import TestSupport
import Testing

/// Addresses inside the first few Swift functions of `elf` (from its symbol table, via nm).
func swiftFunctionAddresses(_ elf: String, count: Int) throws -> [UInt64] {
    let r = try Subprocess.run("/usr/bin/nm", ["--defined-only", elf], timeout: 60)
    var out: [UInt64] = []
    for line in r.stdout.split(separator: "\n") {
        let parts = line.split(separator: " ")
        guard parts.count == 3, parts[1] == "T" || parts[1] == "t", parts[2].hasPrefix("$e"),
              let a = UInt64(parts[0], radix: 16) else { continue }
        out.append(a + 1)   // inside the function, not on its first byte
        if out.count == count { break }
    }
    return out
}

@Test(arguments: ["kernel.elf", "crash.elf"])
func symbolizerAgreesWithAddr2Line(elfName: String) throws {
    let elf = try RepositoryPaths.requireBuilt(elfName)
    let symbolizer = try Symbolizer(elf: elf)
    let addresses = try swiftFunctionAddresses(elf, count: 8)
    #expect(addresses.count == 8)
    for address in addresses {
        let got = symbolizer.symbolize(address)
        let want = try Addr2Line.lookup(elf, address)
        #expect(got.function == want.function, "0x\(String(address, radix: 16))")
        let printed = try #require(PrintedFrame(Substring(got.description)))
        #expect(printed.location == want.location, "\(got.description)")
        #expect(got.demangled != nil, "\(got.description)")
    }
}

@Test func symbolizerGivesUnknownForAnAddressOutsideTheELF() throws {
    let s = try Symbolizer(elf: try RepositoryPaths.requireBuilt("kernel.elf"))
    let r = s.symbolize(0x10)
    #expect(r.function == nil && r.file == nil)
    #expect(r.description == "0x10 ?? at ??:0")
}

@Test(arguments: [
    ("$e6KernelAAO23timerPeriodMillisecondss6UInt64VvpZ", "static Kernel.Kernel.timerPeriodMilliseconds : Swift.UInt64"),
    ("$s4main3fooyyF", "main.foo() -> ()"),
])
func demanglerHandlesEmbeddedAndFullSwiftNames(mangled: String, demangled: String) {
    #expect(Demangler.demangle(mangled) == demangled)
}

@Test func demanglerLeavesCNamesAlone() {
    #expect(Demangler.demangle("kernel_main") == nil)
    #expect(Demangler.demangle("$notswift") == nil)
}

@Test func demanglerAgreesWithSwiftDemangle() throws {
    let elf = try RepositoryPaths.requireBuilt("kernel.elf")
    let s = try Symbolizer(elf: elf)
    let names = try swiftFunctionAddresses(elf, count: 5).compactMap { s.symbolize($0).function }
    let r = try Subprocess.run("/opt/swift/usr/bin/swift-demangle", names, timeout: 60)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == names.count)
    for (name, line) in zip(names, lines) {
        #expect(line == "\(name) ---> \(Demangler.demangle(name) ?? "nil")")
    }
}

@Test func symbolizerErrorsNameTheFile() throws {
    #expect(throws: SymbolizerError.noSuchFile("/nonexistent/kernel.elf")) { try Symbolizer(elf: "/nonexistent/kernel.elf") }
    let dir = FileManager.default.temporaryDirectory.path
    let text = dir + "/symbolizer-text-\(getpid())"
    #expect(FileManager.default.createFile(atPath: text, contents: Data("hello\n".utf8)))
    defer { try? FileManager.default.removeItem(atPath: text) }
    #expect(throws: SymbolizerError.notAnELF(text)) { try Symbolizer(elf: text) }
    #expect(SymbolizerError.notAnELF(text).description == "\(text): not an ELF file")
    let stripped = dir + "/symbolizer-stripped-\(getpid()).elf"
    let r = try Subprocess.run("/usr/bin/strip", ["--strip-debug", "-o", stripped, try RepositoryPaths.requireBuilt("crash.elf")], timeout: 60)
    #expect(r.status == 0)
    defer { try? FileManager.default.removeItem(atPath: stripped) }
    #expect(throws: SymbolizerError.noDebugInfo(stripped)) { try Symbolizer(elf: stripped) }
}
