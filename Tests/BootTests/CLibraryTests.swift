// CLibraryTests.swift — the guest's C library judged against the host's glibc: printftest prints
// each case with its result in the guest, and the same case is redone here with glibc.
import Foundation
import Glibc
import Testing

/// glibc's snprintf of one double.
private func glibcFormat(_ format: String, _ value: Double) -> (text: String, count: Int32) {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
    return (String(cString: buffer), n)
}

/// glibc's strtod or strtof of `input`: the bits, the characters consumed, whether errno was ERANGE.
private func glibcParse(_ input: String, float: Bool) -> (bits: UInt64, consumed: Int, range: Bool) {
    input.withCString { p in
        var end: UnsafeMutablePointer<CChar>? = nil
        errno = 0
        let bits = float ? UInt64(strtof(p, &end).bitPattern) : strtod(p, &end).bitPattern
        let range = errno == ERANGE
        return (bits, end.map { p.distance(to: UnsafePointer($0)) } ?? 0, range)
    }
}

/// Every floating-point printf case (e f g a, both cases, random flags/width/precision, hard values,
/// NaN and infinities, random doubles) and every strtod/strtof case (printed forms, long decimals
/// near halfway points and the extremes, hex floats, malformed subjects) gives glibc's answer.
@Test func bootPrintfAndStrtodMatchGlibc() throws {
    let r = try Boot.kernel(cmdline: "init=printftest")
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("printftest: done\n"))
    var printed = 0, parsed = 0, mismatches: [String] = []
    for line in r.stdout.split(separator: "\n") {
        let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard let kind = f.first, kind.count == 1, "PSF".contains(kind) else { continue }
        guard f.count == 5 else { mismatches.append("malformed: \(line)"); continue }
        if kind == "P" {
            printed += 1
            guard let bits = UInt64(f[2], radix: 16) else { mismatches.append("bits: \(line)"); continue }
            let want = glibcFormat(f[1], Double(bitPattern: bits))
            if want.text != f[3] || String(want.count) != f[4] {
                mismatches.append("printf(\"\(f[1])\", \(f[2])): guest '\(f[3])' (\(f[4])), glibc '\(want.text)' (\(want.count))")
            }
        } else {
            parsed += 1
            let want = glibcParse(f[1], float: kind == "F")
            let got = (UInt64(f[2], radix: 16), Int(f[3]), f[4] == "1")
            if got.0 != want.bits || got.1 != want.consumed || got.2 != want.range {
                mismatches.append("\(kind == "F" ? "strtof" : "strtod")(\"\(f[1])\"): guest \(f[2]) \(f[3]) \(f[4]), glibc \(String(want.bits, radix: 16)) \(want.consumed) \(want.range)")
            }
        }
    }
    #expect(printed > 4000 && parsed > 2000, "printed \(printed), parsed \(parsed)")
    #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(40).joined(separator: "\n"))")
}
