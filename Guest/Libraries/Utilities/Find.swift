// Find.swift — find [PATH…] [EXPRESSION] as GNU findutils 4.9 runs it (POSIX.1-2017 "find"):
// each starting point walked in the directory order the file system gives (directories before
// their contents, or after them with -depth/-delete), the expression (FindExpression.swift)
// evaluated left to right with short-circuit -a/-o, -print implied when it has no action.
// Exit status 0, or 1 when anything failed (a missing path, a failed -exec … +, -delete).
// Memory: the path being visited and, per directory level, that directory's names.

public enum Find {
    public static func run<IO: ProcessIO & FileIO & TreeIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "find")
        // -H, -L, -P before the starting points: whether symbolic links are followed. Here -H and
        // -L follow a starting point that is a link; links below it are not followed (a
        // limitation: the guest's file system has no links to make).
        var leading = 0
        var followStart = false
        while leading < arguments.count, ["-H", "-L", "-P"].contains(arguments[leading]) {
            followStart = arguments[leading] != "-P"
            leading += 1
        }
        let arguments = Array(arguments[leading...])
        // The starting points run to the first word that begins an expression.
        var split = 0
        while split < arguments.count {
            let w = arguments[split]
            if (w.hasPrefix("-") && w.count > 1) || w == "(" || w == "!" || w == ")" { break }
            split += 1
        }
        let paths = split == 0 ? ["."] : Array(arguments[..<split])
        let expression: FindExpression
        switch FindExpression.parse(Array(arguments[split...]), io: io) {
        case .success(let e): expression = e
        case .failure(let e): console.error(e.message); return 1
        }
        var walk = Walk(expression: expression, now: io.currentTime())
        walk.batches = [[String]](repeating: [], count: expression.execBatches)
        for path in paths {
            if walk.quit { break }
            if path.isEmpty { console.error("'': No such file or directory"); continue }
            walk.start = path
            walk.visit(path, depth: 0, followLinks: followStart, &console)
        }
        walk.flushBatches(&console)
        return console.finish()
    }
}

/// One run's walk and the state its actions share.
struct Walk {
    let expression: FindExpression
    let now: Int64
    /// -exec … +: the paths waiting for each such action's next run, and their commands.
    var batches: [[String]] = []
    var batchCommands: [[String]?] = []
    var pruned = false
    var quit = false
    /// The starting point being walked (-printf's %P is a path less it).
    var start = ""
    /// The depth of the file being evaluated (-printf's %d).
    var depth = 0

    /// Whether a file's kind is all the expression looks at (FindTraversal.swift).
    let kindIsEnough: Bool

    init(expression: FindExpression, now: Int64) {
        self.expression = expression
        self.now = now
        kindIsEnough = !expression.root.needsStatus
        batchCommands = [[String]?](repeating: nil, count: expression.execBatches)
    }

    /// Visits `path`; `listedKind` is its kind as its directory's listing gave it (FindTraversal.swift).
    mutating func visit<IO: ProcessIO & FileIO & TreeIO>(_ path: String, depth: Int, followLinks: Bool = false,
                                                        listedKind: FileInfo.Kind? = nil, _ console: inout Console<IO>) {
        let info: FileInfo
        if let known = statusFromListing(listedKind, followLinks: followLinks) {
            info = known
        } else {
            switch console.io.info(path, followLinks: followLinks) {
            case .success(let i): info = i
            case .failure(let e): console.error("'" + path + "': " + e.message); return
            }
        }
        let evaluate = depth >= expression.minDepth
        pruned = false
        self.depth = depth
        if evaluate && !expression.depthFirst { apply(path, info, &console) }
        if quit { return }
        if info.kind == .directory && depth < expression.maxDepth && !(pruned && !expression.depthFirst) {
            switch console.io.listWithKinds(path) {
            case .failure(let e): console.error("'" + path + "': " + e.message)
            case .success(let entries):
                for entry in entries {
                    visit(path.hasSuffix("/") ? path + entry.name : path + "/" + entry.name, depth: depth + 1,
                          listedKind: entry.kind, &console)
                    if quit { return }
                }
            }
        }
        self.depth = depth
        if evaluate && expression.depthFirst { apply(path, info, &console) }
    }

    mutating func apply<IO: ProcessIO & FileIO & TreeIO>(_ path: String, _ info: FileInfo, _ console: inout Console<IO>) {
        let selected = evaluate(expression.root, path, info, &console)
        if selected && expression.printsImplicitly { console.put(path); console.put(10) }
    }

    /// -printf's %h and %f: `path` split at its last slash that is not trailing ("tree/" is "."
    /// and "tree/", "a/b" is "a" and "b", "/x" is "/"… as findutils splits it).
    static func directoryAndName(_ path: String) -> (directory: [UInt8], name: [UInt8]) {
        let bytes = Array(path.utf8)
        var end = bytes.count
        while end > 1 && bytes[end - 1] == 47 { end -= 1 }
        guard let slash = bytes[..<end].lastIndex(of: 47), end > 1 || bytes.first != 47 else { return ([46], bytes) }
        return (slash == 0 ? [47] : Array(bytes[..<slash]), Array(bytes[(slash + 1)...]))
    }

    /// The last component of `path` (trailing slashes ignored; "/" is itself).
    static func baseName(_ path: String) -> [UInt8] {
        var bytes = Array(path.utf8)
        while bytes.count > 1 && bytes.last == 47 { bytes.removeLast() }
        if bytes == [47] { return bytes }
        if let slash = bytes.lastIndex(of: 47) { return Array(bytes[(slash + 1)...]) }
        return bytes
    }

    static func compare(_ c: FindExpression.Comparison, _ value: Int64, _ n: Int64) -> Bool {
        switch c {
        case .more: return value > n
        case .less: return value < n
        case .exactly: return value == n
        }
    }

    mutating func evaluate<IO: ProcessIO & FileIO & TreeIO>(_ node: FindExpression.Node, _ path: String, _ info: FileInfo,
                                                           _ console: inout Console<IO>) -> Bool {
        if quit { return false }
        switch node {
        case .and(let a, let b): return evaluate(a, path, info, &console) && evaluate(b, path, info, &console)
        case .or(let a, let b): return evaluate(a, path, info, &console) || evaluate(b, path, info, &console)
        case .not(let a): return !evaluate(a, path, info, &console)
        case .constant(let v): return v
        case .name(let g): return g.matches(Walk.baseName(path))
        case .path(let g): return g.matches(Array(path.utf8))
        case .type(let kinds): return kinds.contains(info.kind)
        case .size(let c, let n, let unit):
            // sizes round up to whole units (a 1-byte file is 1 block)
            let units = info.size / unit + (info.size % unit == 0 ? 0 : 1)
            switch c {
            case .more: return units > n
            case .less: return units < n
            case .exactly: return units == n
            }
        case .age(let c, let n, let period):
            let age = now - info.modified
            let periods = age >= 0 ? age / period : (age - period + 1) / period
            return Walk.compare(c, periods, n)
        case .newer(let s, let ns):
            return info.modified > s || (info.modified == s && info.modifiedNanoseconds > ns)
        case .empty:
            if info.kind == .regular { return info.size == 0 }
            if info.kind == .directory, case .success(let names) = console.io.list(path) { return names.isEmpty }
            return false
        case .print(let end):
            console.put(path); console.put(end)
            return true
        case .exec(let command, let plus, let batch):
            if plus {
                batchCommands[batch] = command
                batches[batch].append(path)
                if batches[batch].count >= 1024 { runBatch(batch, &console) }
                return true
            }
            let words = command.map { replacing($0, with: path) }
            return execute(words, &console) == 0
        case .delete:
            let result = info.kind == .directory ? console.io.removeDirectory(path) : console.io.remove(path)
            if case .failure(let e) = result { console.error("cannot delete '" + path + "': " + e.message); return false }
            return true
        case .permissions(let mode, let test):
            switch test {
            case .exactly: return info.permissions & 0o7777 == mode
            case .all: return info.permissions & mode == mode
            case .any: return mode == 0 || info.permissions & mode != 0
            }
        case .printf(let pieces):
            printf(pieces, path, info, &console)
            return true
        case .prune:
            pruned = true
            return true
        case .quit:
            quit = true
            return true
        }
    }

    /// -printf: %p the path, %f its name, %P the path less the starting point, %h its directory,
    /// %s the size, %d the depth, %m the octal permissions, %y the type letter; a precision
    /// cuts, a width pads (left-justified with "-"). Other directives print as written.
    func printf<IO: ProcessIO & FileIO & TreeIO>(_ pieces: [FindExpression.PrintfPiece], _ path: String, _ info: FileInfo,
                                                 _ console: inout Console<IO>) {
        for piece in pieces {
            switch piece {
            case .text(let bytes): console.put(bytes)
            case .stop: return
            case .directive(let letter, let spec):
                var value: [UInt8]
                switch letter {
                case UInt8(ascii: "p"): value = Array(path.utf8)
                case UInt8(ascii: "f"): value = Walk.directoryAndName(path).name
                case UInt8(ascii: "P"):
                    var rest = Array(path.utf8.dropFirst(start.utf8.count))
                    if rest.first == 47 { rest.removeFirst() }
                    value = rest
                case UInt8(ascii: "h"): value = Walk.directoryAndName(path).directory
                case UInt8(ascii: "s"): value = Array(String(info.size).utf8)
                case UInt8(ascii: "d"): value = Array(String(depth).utf8)
                case UInt8(ascii: "m"): value = Array(String(info.permissions & 0o7777, radix: 8).utf8)
                case UInt8(ascii: "y"):
                    switch info.kind {
                    case .regular: value = [UInt8(ascii: "f")]
                    case .directory: value = [UInt8(ascii: "d")]
                    case .symlink: value = [UInt8(ascii: "l")]
                    default: value = [UInt8(ascii: "U")]
                    }
                default:
                    console.put([37] + spec + [letter])
                    continue
                }
                // flags, width and precision: "-" left-justifies, ".N" keeps N bytes
                var leftAlign = false, width = 0, precision: Int? = nil
                var k = 0
                while k < spec.count, spec[k] == UInt8(ascii: "-") || spec[k] == UInt8(ascii: "+") || spec[k] == UInt8(ascii: " ")
                        || spec[k] == UInt8(ascii: "#") || spec[k] == UInt8(ascii: "0") {
                    if spec[k] == UInt8(ascii: "-") { leftAlign = true }
                    k += 1
                }
                while k < spec.count, spec[k] >= 48 && spec[k] <= 57 { width = min(width * 10 + Int(spec[k] - 48), 4096); k += 1 }
                if k < spec.count, spec[k] == UInt8(ascii: ".") {
                    k += 1
                    var p = 0
                    while k < spec.count, spec[k] >= 48 && spec[k] <= 57 { p = min(p * 10 + Int(spec[k] - 48), 1 << 20); k += 1 }
                    precision = p
                }
                if let precision, value.count > precision { value = Array(value.prefix(precision)) }
                let pad = [UInt8](repeating: 32, count: max(0, width - value.count))
                console.put(leftAlign ? value + pad : pad + value)
            }
        }
    }

    /// `word` with every "{}" replaced by `path` (GNU replaces it inside words too).
    func replacing(_ word: String, with path: String) -> String {
        let w = Array(word.utf8)
        guard w.count >= 2 else { return word }
        var out: [UInt8] = []
        var k = 0
        while k < w.count {
            if k + 1 < w.count && w[k] == 123 && w[k + 1] == 125 { out += Array(path.utf8); k += 2 } else { out.append(w[k]); k += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Runs a command; its exit status, or -1 when it could not be run (reported).
    func execute<IO: ProcessIO & FileIO & TreeIO>(_ words: [String], _ console: inout Console<IO>) -> Int32 {
        console.flush()   // what find printed comes before what the command prints
        switch console.io.execute(words, environment: nil) {
        case .success(let status): return status
        case .failure(let e):
            // GNU's child reports it and exits 1: the action is false, find's status stays 0
            console.io.writeError(Array(("find: '" + words[0] + "': " + e.message + "\n").utf8))
            return -1
        }
    }

    mutating func runBatch<IO: ProcessIO & FileIO & TreeIO>(_ batch: Int, _ console: inout Console<IO>) {
        guard let command = batchCommands[batch], !batches[batch].isEmpty else { return }
        let status = execute(command + batches[batch], &console)
        batches[batch].removeAll()
        if status != 0 { console.failed = true }
    }

    mutating func flushBatches<IO: ProcessIO & FileIO & TreeIO>(_ console: inout Console<IO>) {
        for b in batches.indices { runBatch(b, &console) }
    }
}
