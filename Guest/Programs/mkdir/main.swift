// mkdir [-pv] [-m MODE] DIR… — makes directories (-p: with their parents, and no error if they
// exist; -v: "mkdir: created directory 'DIR'" for each one made, as GNU prints it; -m: the new
// directory's permission bits, octal — parents made by -p keep the default).
import ABI
import UserLib

let usageText = "mkdir [-pv] [-m MODE] DIR…"
nonisolated(unsafe) var parents = false, verbose = false
nonisolated(unsafe) var mode: UInt32? = nil
nonisolated(unsafe) var operands: [String] = []

func usage(_ message: String) -> Never {
    StandardError.print("mkdir: \(message)")
    StandardError.print("usage: \(usageText)")
    System.exit(1)
}

/// -m's octal mode (GNU also takes chmod's symbolic clauses, which this mkdir refuses).
func parseMode(_ text: String) -> UInt32? {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty, bytes.count <= 4, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }) else { return nil }
    return bytes.reduce(0) { $0 * 8 + UInt32($1 - UInt8(ascii: "0")) }
}

nonisolated(unsafe) var arguments = Array(System.arguments.dropFirst())[...]
while let argument = arguments.first {
    arguments = arguments.dropFirst()
    let bytes = Array(argument.utf8)
    if argument == "--" { operands += arguments; break }
    guard bytes.count > 1 && bytes[0] == UInt8(ascii: "-") else { operands.append(argument); continue }
    var i = 1
    while i < bytes.count {
        switch bytes[i] {
        case UInt8(ascii: "p"): parents = true
        case UInt8(ascii: "v"): verbose = true
        case UInt8(ascii: "m"):
            // the mode is the rest of this word, or the next one (-m755, -m 755)
            let rest = String(decoding: bytes[(i + 1)...], as: UTF8.self)
            let text: String
            if !rest.isEmpty { text = rest } else {
                guard let next = arguments.first else { usage("option requires an argument -- 'm'") }
                text = next
                arguments = arguments.dropFirst()
            }
            guard let m = parseMode(text) else { usage("invalid mode '\(text)'") }
            mode = m
            i = bytes.count
            continue
        default: usage("invalid option -- '\(String(decoding: [bytes[i]], as: UTF8.self))'")
        }
        i += 1
    }
}
if operands.isEmpty { usage("missing operand") }

nonisolated(unsafe) var failed = false
func report(_ path: String, _ error: Errno) {
    StandardError.print("mkdir: cannot create directory '\(path)': \(error.description)")
    failed = true
}

/// Makes `path` (mode applied when given) and says so under -v.
func make(_ path: String, mode: UInt32?) -> Result<Void, Errno> {
    if case .failure(let e) = Files.makeDirectory(path) { return .failure(e) }
    if let mode, case .failure(let e) = Files.changeMode(path, mode) { return .failure(e) }
    if verbose { print("mkdir: created directory '\(path)'") }
    return .success(())
}

/// -p: each missing ancestor, then `path`; existing directories are no error.
func makeParents(_ path: String) -> Result<Void, Errno> {
    // Parents of a relative path are under the working directory: the prefixes are walked as
    // given ("t/sub": t, then t/sub), from "/" for an absolute path.
    let parts = Array(path.utf8).split(separator: UInt8(ascii: "/"))
    var prefix = path.utf8.first == UInt8(ascii: "/") ? "/" : ""
    for (index, part) in parts.enumerated() {
        prefix += (prefix.isEmpty || prefix == "/" ? "" : "/") + String(decoding: part, as: UTF8.self)
        let last = index == parts.count - 1
        switch make(prefix, mode: last ? mode : nil) {
        case .success: continue
        case .failure(let e) where e.code == SV_EEXIST:
            if case .success(let s) = Files.stat(prefix), s.kind == .directory { continue }
            return .failure(e)
        case .failure(let e): return .failure(e)
        }
    }
    return .success(())
}

for path in operands {
    let result = parents ? makeParents(path) : make(path, mode: mode)
    if case .failure(let e) = result { report(path, e) }
}
System.exit(failed ? 1 : 0)
