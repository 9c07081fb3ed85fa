// echo [-neE] ARG… — prints its arguments separated by spaces, as GNU coreutils' echo: leading
// words made only of n, e and E are options (-n: no newline; -e: backslash escapes; -E: none, the
// default; the last of -e/-E wins); any other word ends them. The escapes of -e: \\ \a \b \c (stop
// here, no newline) \e \f \n \r \t \v, \0NNN (up to three octal digits), \xHH (one or two hex
// digits); any other backslash is printed as it is.
import UserLib

nonisolated(unsafe) var words = Array(System.arguments.dropFirst())[...]
nonisolated(unsafe) var newline = true, escapes = false
while let word = words.first, word.utf8.count > 1, word.utf8.first == UInt8(ascii: "-"),
      word.utf8.dropFirst().allSatisfy({ $0 == UInt8(ascii: "n") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
    for flag in word.utf8.dropFirst() {
        switch flag {
        case UInt8(ascii: "n"): newline = false
        case UInt8(ascii: "e"): escapes = true
        default: escapes = false
        }
    }
    words = words.dropFirst()
}

func digit(_ c: UInt8, radix: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9") where c - 48 < radix: return c - 48
    case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: return c - 87
    case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: return c - 55
    default: return nil
    }
}

/// `word` with its escapes done; false when \c ended the output.
func unescape(_ word: String, into out: inout [UInt8]) -> Bool {
    let bytes = Array(word.utf8)
    var i = 0
    while i < bytes.count {
        let c = bytes[i]
        i += 1
        guard c == UInt8(ascii: "\\"), i < bytes.count else { out.append(c); continue }
        let e = bytes[i]
        i += 1
        switch e {
        case UInt8(ascii: "\\"): out.append(0x5c)
        case UInt8(ascii: "a"): out.append(7)
        case UInt8(ascii: "b"): out.append(8)
        case UInt8(ascii: "c"): return false
        case UInt8(ascii: "e"): out.append(0x1b)
        case UInt8(ascii: "f"): out.append(12)
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "r"): out.append(13)
        case UInt8(ascii: "t"): out.append(9)
        case UInt8(ascii: "v"): out.append(11)
        case UInt8(ascii: "0"):
            var value: UInt8 = 0
            var n = 0
            while n < 3, i < bytes.count, let d = digit(bytes[i], radix: 8) { value = value &* 8 &+ d; i += 1; n += 1 }
            out.append(value)
        case UInt8(ascii: "x"):
            guard i < bytes.count, let first = digit(bytes[i], radix: 16) else { out += [0x5c, e]; continue }
            var value = first
            i += 1
            if i < bytes.count, let second = digit(bytes[i], radix: 16) { value = value * 16 + second; i += 1 }
            out.append(value)
        default: out += [0x5c, e]
        }
    }
    return true
}

nonisolated(unsafe) var out: [UInt8] = []
nonisolated(unsafe) var ended = false
for (index, word) in words.enumerated() {
    if index > 0 { out.append(UInt8(ascii: " ")) }
    if escapes {
        if !unescape(word, into: &out) { ended = true; break }
    } else {
        out += Array(word.utf8)
    }
}
if newline && !ended { out.append(10) }
nonisolated(unsafe) var written = 0
while written < out.count {
    let n = out[written...].withUnsafeBytes { System.write(1, $0) }
    if n <= 0 { System.exit(1) }
    written += n
}
System.exit(0)
