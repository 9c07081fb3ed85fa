// Find.swift — find [PATH…] [EXPRESSION] as GNU findutils 4.9 runs it (POSIX.1-2017 "find"):
// each starting point walked in the directory order the file system gives (directories before
// their contents, or after them with -depth/-delete), the expression (FindExpression.swift)
// evaluated left to right with short-circuit -a/-o, -print implied when it has no action.
// Exit status 0, or 1 when anything failed (a missing path, a failed -exec … +, -delete).
// Memory: the path being visited and, per directory level, that directory's names.

public enum Find {
    public static func run<IO: ProcessIO & FileIO & TreeIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "find")
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
            walk.visit(path, depth: 0, &console)
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

    init(expression: FindExpression, now: Int64) {
        self.expression = expression
        self.now = now
        batchCommands = [[String]?](repeating: nil, count: expression.execBatches)
    }

    mutating func visit<IO: ProcessIO & FileIO & TreeIO>(_ path: String, depth: Int, _ console: inout Console<IO>) {
        let info: FileInfo
        switch console.io.info(path, followLinks: false) {
        case .success(let i): info = i
        case .failure(let e): console.error("'" + path + "': " + e.message); return
        }
        let evaluate = depth >= expression.minDepth
        pruned = false
        if evaluate && !expression.depthFirst { apply(path, info, &console) }
        if quit { return }
        if info.kind == .directory && depth < expression.maxDepth && !(pruned && !expression.depthFirst) {
            switch console.io.list(path) {
            case .failure(let e): console.error("'" + path + "': " + e.message)
            case .success(let names):
                for name in names {
                    visit(path.hasSuffix("/") ? path + name : path + "/" + name, depth: depth + 1, &console)
                    if quit { return }
                }
            }
        }
        if evaluate && expression.depthFirst { apply(path, info, &console) }
    }

    mutating func apply<IO: ProcessIO & FileIO & TreeIO>(_ path: String, _ info: FileInfo, _ console: inout Console<IO>) {
        let selected = evaluate(expression.root, path, info, &console)
        if selected && expression.printsImplicitly { console.put(path); console.put(10) }
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
        case .prune:
            pruned = true
            return true
        case .quit:
            quit = true
            return true
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
