// chmod MODE FILE… — changes permission bits (POSIX XCU chmod): MODE is octal (755) or symbolic,
// comma-separated clauses of [ugoa]*[+-=][rwxXst]* or [+-=][ugo] (`+x`, `u+x,go-w`, `a=r`, `g=u`).
// Without u/g/o/a a clause applies to all (the umask is not consulted yet, where GNU's chmod leaves
// the bits the umask masks). Errors in GNU's form; fsd decides who may (the owner or root: EPERM).
import ABI
import UserLib

func fail(_ text: String) -> Never {
    _ = System.write(2, Array("chmod: \(text)\n".utf8))
    System.exit(1)
}

/// The new mode of a file whose mode is `old`, or nil for a mode that does not parse.
func apply(_ mode: String, to old: UInt32, isDirectory: Bool) -> UInt32? {
    let bytes = Array(mode.utf8)
    if !bytes.isEmpty && bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }) {
        guard bytes.count <= 4 else { return nil }
        return bytes.reduce(0) { $0 * 8 + UInt32($1 - UInt8(ascii: "0")) }
    }
    var result = old & 0o7777
    for clause in bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
        var i = clause.startIndex
        var who: UInt32 = 0
        while i < clause.endIndex, let w = [UInt8(ascii: "u"): UInt32(0o4700), UInt8(ascii: "g"): 0o2070, UInt8(ascii: "o"): 0o1007, UInt8(ascii: "a"): 0o7777][clause[i]] {
            who |= w; i += 1
        }
        if who == 0 { who = 0o7777 }
        guard i < clause.endIndex else { return nil }
        while i < clause.endIndex {
            let op = clause[i]
            guard op == UInt8(ascii: "+") || op == UInt8(ascii: "-") || op == UInt8(ascii: "=") else { return nil }
            i += 1
            var bits: UInt32 = 0
            // A copy of another class's bits: g=u, o+g …
            if i < clause.endIndex, let shift = [UInt8(ascii: "u"): UInt32(6), UInt8(ascii: "g"): 3, UInt8(ascii: "o"): 0][clause[i]] {
                let part = (result >> shift) & 7
                bits = part << 6 | part << 3 | part
                i += 1
            } else {
                while i < clause.endIndex, clause[i] != UInt8(ascii: "+"), clause[i] != UInt8(ascii: "-"), clause[i] != UInt8(ascii: "=") {
                    switch clause[i] {
                    case UInt8(ascii: "r"): bits |= 0o444
                    case UInt8(ascii: "w"): bits |= 0o222
                    case UInt8(ascii: "x"): bits |= 0o111
                    case UInt8(ascii: "X"): if isDirectory || old & 0o111 != 0 { bits |= 0o111 }
                    case UInt8(ascii: "s"): bits |= 0o6000
                    case UInt8(ascii: "t"): bits |= 0o1000
                    default: return nil
                    }
                    i += 1
                }
            }
            bits &= who
            switch op {
            case UInt8(ascii: "+"): result |= bits
            case UInt8(ascii: "-"): result &= ~bits
            default: result = result & ~(who & 0o7777) | bits
            }
        }
    }
    return result
}

/// glibc's strerror text for what chmod meets (GNU prints it): the file server's EPERM for a
/// file the caller does not own, EACCES for a directory it cannot search (docs/SECURITY.md).
func message(_ e: Errno) -> String {
    switch e.code {
    case SV_EPERM: return "Operation not permitted"
    case SV_EACCES: return "Permission denied"
    case SV_ENOENT: return "No such file or directory"
    case SV_ENOTDIR: return "Not a directory"
    case SV_EROFS: return "Read-only file system"
    default: return e.description
    }
}

let arguments = Array(System.arguments.dropFirst())
guard arguments.count >= 2 else { fail("missing operand\nUsage: chmod MODE FILE...") }
nonisolated(unsafe) var status: Int32 = 0   // one thread
for path in arguments.dropFirst() {
    let found = Unix.stat(path)
    guard case .success(let s) = found else {
        if case .failure(let e) = found { _ = System.write(2, Array("chmod: cannot access '\(path)': \(message(e))\n".utf8)) }
        status = 1
        continue
    }
    guard let mode = apply(arguments[0], to: s.mode, isDirectory: s.isDirectory) else { fail("invalid mode: '\(arguments[0])'") }
    if case .failure(let e) = Files.changeMode(path, mode) {
        _ = System.write(2, Array("chmod: changing permissions of '\(path)': \(message(e))\n".utf8))
        status = 1
    }
}
System.exit(status)
