// Addr2Line.swift — binutils' addr2line as the independent reference for symbolizer tests, and a
// parser for the frames `swiftvm symbolize` and `swiftvm run`'s crash reports print.
import Foundation

public enum Addr2Line {
    /// `addr2line -f -e ELF ADDR`: the function (as linked) and FILE:LINE, without the
    /// "(discriminator N)" suffix.
    public static func lookup(_ elf: String, _ address: UInt64) throws -> (function: String, location: String) {
        let r = try Subprocess.run("/usr/bin/addr2line", ["-f", "-e", elf, "0x" + String(address, radix: 16)], timeout: 60)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        guard r.status == 0, lines.count >= 2 else { throw TestSetupError("addr2line failed on \(elf): \(r.stderr)") }
        var location = lines[1]
        if let d = location.range(of: " (discriminator") { location = String(location[..<d.lowerBound]) }
        return (lines[0], location)
    }
}

/// One printed frame: `[#N ]0xADDR FUNCTION[ (DEMANGLED)] at FILE:LINE`.
public struct PrintedFrame: Equatable {
    public var address: UInt64
    public var function: String
    public var demangled: String?
    public var location: String

    public init?(_ line: Substring) {
        var rest = line.drop { $0 == " " }
        if rest.hasPrefix("#") { rest = rest.drop { $0 != " " }.dropFirst() }
        guard rest.hasPrefix("0x"), let space = rest.firstIndex(of: " "),
              let a = UInt64(rest[rest.index(rest.startIndex, offsetBy: 2)..<space], radix: 16),
              let at = rest.range(of: " at ", options: .backwards) else { return nil }
        address = a
        location = String(rest[at.upperBound...])
        let name = rest[rest.index(after: space)..<at.lowerBound]
        if let open = name.firstIndex(of: " "), name.last == ")" {
            function = String(name[..<open])
            demangled = String(name[name.index(open, offsetBy: 2)..<name.index(before: name.endIndex)])
        } else {
            function = String(name)
        }
    }
}
