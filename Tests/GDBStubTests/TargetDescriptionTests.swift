// TargetDescriptionTests.swift — the register file layout and target.xml: one table, well-formed XML,
// every register the issue asks for, sizes that add up to the `g` packet.
import Testing
@testable import GDBStub

@Suite("Register file and target description")
struct TargetDescriptionTests {
    @Test func gPacketIsSixHundredEightBytes() {
        // core 0x118 + x87 0x50 … = 0x218 (gdbstub_arch X86_64_SSE), + fs_base, gs_base, k_gs_base,
        // cr0, cr2, cr3, cr4, cr8, efer (9 × 8).
        #expect(X86_64Register.fileSize == 0x218 + 9 * 8)
        #expect(X86_64Registers().encoded().count == X86_64Register.fileSize)
        #expect(X86_64Register.allCases.count == 66)
    }

    @Test("offsets in the g packet", arguments: [
        (X86_64Register.rax, 0), (.rsp, 56), (.r15, 120), (.rip, 128), (.eflags, 136), (.cs, 140), (.gs, 160),
        (.st0, 164), (.fctrl, 244), (.fop, 272), (.xmm0, 276), (.xmm15, 516), (.mxcsr, 532),
        (.fsBase, 536), (.gsBase, 544), (.kernelGSBase, 552), (.cr0, 560), (.cr3, 576), (.efer, 600),
    ])
    func offsets(register: X86_64Register, offset: Int) {
        // The core and SSE offsets are the ones gdb 13 prints for its built-in amd64 layout
        // (`maint print remote-registers`); the RealGDB suite checks ours against gdb too.
        #expect(register.offset == offset)
    }

    @Test func registerFileRoundTrip() {
        var r = X86_64Registers()
        var rng = SplitMix(seed: 42)
        for i in 0..<16 { r.gpr[i] = rng.next() }
        r.rip = rng.next()
        r.eflags = UInt32(truncatingIfNeeded: rng.next())
        for i in 0..<6 { r.segments[i] = UInt32(truncatingIfNeeded: rng.next()) }
        for i in 0..<8 { r.st[i] = X87Register(significand: rng.next(), signExponent: UInt16(truncatingIfNeeded: rng.next())) }
        for i in 0..<8 { r.x87Control[i] = UInt32(truncatingIfNeeded: rng.next()) }
        for i in 0..<16 { r.xmm[i] = UInt128(rng.next()) << 64 | UInt128(rng.next()) }
        r.mxcsr = 0x1f80
        r.fsBase = rng.next(); r.gsBase = rng.next(); r.kernelGSBase = rng.next()
        r.cr0 = rng.next(); r.cr2 = rng.next(); r.cr3 = rng.next(); r.cr4 = rng.next(); r.cr8 = rng.next(); r.efer = rng.next()
        let bytes = r.encoded()
        #expect(X86_64Registers(encoded: bytes) == r)
        for reg in X86_64Register.allCases {
            #expect(Array(bytes[reg.offset..<(reg.offset + reg.size)]) == r.bytes(of: reg))
        }
    }

    @Test func registerValuesAreLittleEndian() {
        var r = X86_64Registers()
        r.rip = 0xffff_ffff_8000_000b
        r.cr3 = 0x1000
        #expect(r.bytes(of: .rip) == [0x0b, 0x00, 0x00, 0x80, 0xff, 0xff, 0xff, 0xff])
        #expect(r.bytes(of: .cr3) == [0x00, 0x10, 0, 0, 0, 0, 0, 0])
        #expect(r[.rbx] == 0)
        r[.rbx] = 7
        #expect(r.gpr[1] == 7)
    }

    @Test func wrongSizeIsRejected() {
        var r = X86_64Registers()
        let accepted = r.setBytes([1, 2, 3][...], of: .rax)
        #expect(!accepted)
        #expect(X86_64Registers(encoded: [UInt8](repeating: 0, count: 607)) == nil)
    }

    @Test("the description names every required register with its size", arguments: [
        ("rax", 64), ("rbx", 64), ("rip", 64), ("eflags", 32), ("cs", 32), ("ss", 32), ("ds", 32), ("es", 32),
        ("fs", 32), ("gs", 32), ("fs_base", 64), ("gs_base", 64), ("k_gs_base", 64), ("cr0", 64), ("cr2", 64),
        ("cr3", 64), ("cr4", 64), ("cr8", 64), ("efer", 64), ("st0", 80), ("xmm15", 128), ("mxcsr", 32),
    ])
    func requiredRegister(name: String, bits: Int) {
        #expect(TargetDescription.xml.contains("<reg name=\"\(name)\" bitsize=\"\(bits)\""))
    }

    @Test func registersAppearInGPacketOrderWithExplicitNumbers() {
        let regs = XMLChecker.elements(named: "reg", in: TargetDescription.xml)
        #expect(regs.count == X86_64Register.allCases.count)
        for (i, attrs) in regs.enumerated() {
            let r = X86_64Register.allCases[i]
            #expect(attrs["name"] == r.name)
            #expect(attrs["regnum"] == "\(i)")
            #expect(attrs["bitsize"] == "\(r.size * 8)")
        }
    }

    @Test func featuresAreTheOnesGDBKnows() {
        let features = XMLChecker.elements(named: "feature", in: TargetDescription.xml).compactMap { $0["name"] }
        #expect(features == ["org.gnu.gdb.i386.core", "org.gnu.gdb.i386.sse", "org.gnu.gdb.i386.segments",
                             "org.swiftvm.x86-64.system"])
        #expect(TargetDescription.xml.contains("<architecture>i386:x86-64</architecture>"))
    }

    @Test func descriptionIsWellFormedXML() throws {
        try XMLChecker.check(TargetDescription.xml)
    }

    @Test func descriptionNeedsNoEscapingInQXfer() {
        // Not required (qXfer escapes), but it keeps every chunk the same size on the wire.
        for c in bytes("$#}*") { #expect(!TargetDescription.bytes.contains(c)) }
    }

    @Test("the well-formedness checker rejects broken XML", arguments: [
        "<a><b></a></b>", "<a>", "<a x=1/>", "<a></a><b/>", "<a>&</a>", "<a x=\"1\" x=\"2\"/>", "text",
    ])
    func checkerRejects(xml: String) {
        #expect(throws: XMLChecker.Failure.self) { try XMLChecker.check(xml) }
    }
}

/// A strict little XML well-formedness check (elements, attributes, declarations, comments,
/// entities), enough for target descriptions; no DTD validation (the RealGDB suite has gdb do that).
enum XMLChecker {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func check(_ text: String) throws(Failure) {
        let s = Array(text.unicodeScalars)
        var i = 0
        var stack: [String] = []
        var roots = 0
        func fail(_ m: String) -> Failure { Failure(description: "\(m) at \(i)") }
        func name() throws(Failure) -> String {
            var n = ""
            while i < s.count, s[i].properties.isAlphabetic || "0123456789_-.:".unicodeScalars.contains(s[i]) {
                n.unicodeScalars.append(s[i]); i += 1
            }
            guard !n.isEmpty else { throw fail("expected a name") }
            return n
        }
        func skipSpace() { while i < s.count, s[i] == " " || s[i] == "\n" || s[i] == "\t" || s[i] == "\r" { i += 1 } }
        func checkText(_ t: ArraySlice<Unicode.Scalar>) throws(Failure) {
            var j = t.startIndex
            while j < t.endIndex {
                if t[j] == "<" { throw fail("'<' in text") }
                if t[j] == "&" {
                    guard let semi = t[j...].firstIndex(of: ";"),
                          ["amp", "lt", "gt", "quot", "apos"].contains(String(String.UnicodeScalarView(t[(j + 1)..<semi]))) else {
                        throw fail("bad entity")
                    }
                    j = semi
                }
                j += 1
            }
        }
        while i < s.count {
            if s[i] != "<" {
                let start = i
                while i < s.count, s[i] != "<" { i += 1 }
                let t = s[start..<i]
                if stack.isEmpty, t.contains(where: { $0 != " " && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
                    throw fail("text outside the root element")
                }
                try checkText(t)
                continue
            }
            i += 1
            guard i < s.count else { throw fail("unterminated tag") }
            if s[i] == "?" || s[i] == "!" {
                // Declaration, DOCTYPE or comment: skip to '>' (comments to '-->').
                let isComment = i + 2 < s.count && s[i] == "!" && s[i + 1] == "-" && s[i + 2] == "-"
                while i < s.count {
                    if isComment ? (i + 2 < s.count && s[i] == "-" && s[i + 1] == "-" && s[i + 2] == ">") : s[i] == ">" { break }
                    i += 1
                }
                guard i < s.count else { throw fail("unterminated declaration") }
                i += isComment ? 3 : 1
                continue
            }
            if s[i] == "/" {
                i += 1
                let n = try name()
                skipSpace()
                guard i < s.count, s[i] == ">" else { throw fail("bad end tag") }
                i += 1
                guard stack.popLast() == n else { throw fail("mismatched </\(n)>") }
                continue
            }
            let n = try name()
            var seen: Set<String> = []
            while true {
                skipSpace()
                guard i < s.count else { throw fail("unterminated tag") }
                if s[i] == "/" || s[i] == ">" { break }
                let a = try name()
                guard seen.insert(a).inserted else { throw fail("duplicate attribute \(a)") }
                skipSpace()
                guard i < s.count, s[i] == "=" else { throw fail("attribute without value") }
                i += 1
                skipSpace()
                guard i < s.count, s[i] == "\"" || s[i] == "'" else { throw fail("unquoted attribute") }
                let quote = s[i]
                i += 1
                let start = i
                while i < s.count, s[i] != quote { i += 1 }
                guard i < s.count else { throw fail("unterminated attribute") }
                try checkText(s[start..<i])
                i += 1
            }
            if stack.isEmpty {
                roots += 1
                guard roots == 1 else { throw fail("second root element") }
            }
            if s[i] == "/" {
                i += 1
                guard i < s.count, s[i] == ">" else { throw fail("bad empty tag") }
                i += 1
            } else {
                i += 1
                stack.append(n)
            }
        }
        guard stack.isEmpty else { throw Failure(description: "unclosed <\(stack.last ?? "")>") }
        guard roots == 1 else { throw Failure(description: "no root element") }
    }

    /// The attributes of every element named `name`, in document order (a plain scan, no Foundation).
    static func elements(named name: String, in text: String) -> [[String: String]] {
        let chars = Array(text)
        let open = Array("<\(name)")
        var result: [[String: String]] = []
        var i = 0
        while i + open.count < chars.count {
            guard Array(chars[i..<(i + open.count)]) == open, chars[i + open.count] == " " || chars[i + open.count] == ">" else {
                i += 1
                continue
            }
            i += open.count
            var attrs: [String: String] = [:]
            while i < chars.count, chars[i] != ">" {
                guard let eq = chars[i...].firstIndex(of: "="), eq + 1 < chars.count, chars[eq + 1] == "\"",
                      let close = chars[(eq + 2)...].firstIndex(of: "\""),
                      let end = chars[i...].firstIndex(of: ">"), eq < end else { break }
                attrs[String(chars[i..<eq]).trimmingCharacters(in: " \n")] = String(chars[(eq + 2)..<close])
                i = close + 1
            }
            result.append(attrs)
        }
        return result
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
