// SymbolizeCommand.swift — `swiftvm symbolize ELF ADDR…`: function, demangled name, file:line per
// address, as `swiftvm run` prints them for a crash.
import ArgumentParser
import HostSupport
import Symbolizer

struct SymbolizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symbolize",
        abstract: "Print FUNCTION (demangled) at FILE:LINE for addresses in an unstripped ELF.")

    @Argument(help: "An ELF with DWARF debug information (build/kernel.elf, build/NAME.elf).") var elf: String
    @Argument(help: "Addresses, hexadecimal (0x…) or decimal.") var addresses: [String]

    func validate() throws {
        guard !addresses.isEmpty else { throw ValidationError("no addresses to symbolize") }
        for a in addresses where SymbolizeCommand.parse(a) == nil {
            throw ValidationError("\(a): not an address")
        }
    }

    static func parse(_ text: String) -> UInt64? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2), radix: 16) }
        return UInt64(text)
    }

    func run() throws {
        let symbolizer: Symbolizer
        do {
            symbolizer = try Symbolizer(elf: elf)
        } catch {
            writeStandardError("swiftvm: \(error)\n")
            throw ExitCode(1)
        }
        var out = ""
        for a in addresses { out += symbolizer.symbolize(SymbolizeCommand.parse(a)!).description + "\n" }
        _ = try? writeStandardOutput(Array(out.utf8))
    }
}
