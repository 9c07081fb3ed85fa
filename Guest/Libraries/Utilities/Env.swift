// Env.swift — env and pwd: the process's environment and working directory (POSIX.1-2017
// "env", "pwd"; GNU's -0, -u, and exit statuses 125 (env's own error), 126 (cannot run), 127
// (not found)).

public enum Env {
    /// GNU env stops at its first operand (options after the command are the command's).
    public static func run<IO: ProcessIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "env")
        var ignore = false, null = false
        var unset: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { i += 1; break }
            if a == "-" { ignore = true; i += 1; continue }   // POSIX's old form of -i
            guard a.hasPrefix("-") else { break }
            i += 1
            if a.hasPrefix("--") {
                let (name, value) = a.contains("=") ? (String(a.prefix { $0 != "=" }), String(a.drop { $0 != "=" }.dropFirst())) : (a, nil as String?)
                let longs = ["--ignore-environment", "--null", "--unset"]
                let matches = longs.filter { $0.hasPrefix(name) }
                guard matches.count == 1 else {
                    console.usage(matches.isEmpty ? "unrecognized option '\(a)'" : "option '\(a)' is ambiguous"); return 125
                }
                switch matches[0] {
                case "--ignore-environment": ignore = true
                case "--null": null = true
                default:
                    if let value { unset.append(value) }
                    else if i < arguments.count { unset.append(arguments[i]); i += 1 }
                    else { console.usage("option '--unset' requires an argument"); return 125 }
                }
                continue
            }
            var letters = Array(a.utf8.dropFirst())[...]
            while let l = letters.popFirst() {
                switch l {
                case 105: ignore = true
                case 48: null = true
                case 117:
                    if !letters.isEmpty { unset.append(String(decoding: letters, as: UTF8.self)); letters = [] }
                    else if i < arguments.count { unset.append(arguments[i]); i += 1 }
                    else { console.usage("option requires an argument -- 'u'"); return 125 }
                default:
                    console.usage("invalid option -- '\(String(decoding: [l], as: UTF8.self))'"); return 125
                }
            }
        }
        var environment = ignore ? [] : io.environment()
        for name in unset {
            if name.isEmpty || name.contains("=") {
                console.error("cannot unset " + quoted(name) + ": Invalid argument")
                return 125
            }
            environment.removeAll { $0.hasPrefix(name + "=") }
        }
        // NAME=VALUE operands, then the command (GNU takes "=VALUE", an empty name, too).
        while i < arguments.count, let equals = arguments[i].firstIndex(of: "=") {
            let name = arguments[i][..<equals]
            environment.removeAll { $0.hasPrefix(name + "=") }
            environment.append(arguments[i])
            i += 1
        }
        guard i < arguments.count else {
            for entry in environment { console.put(entry); console.put(null ? 0 : 10) }
            return console.finish()
        }
        if null { console.usage("cannot specify --null (-0) with command"); return 125 }
        console.flush()
        switch io.execute(Array(arguments[i...]), environment: environment) {
        case .success(let status): return status
        case .failure(let e):
            console.error(quoted(arguments[i]) + ": " + e.message)
            return e == .ENOENT ? 127 : 126
        }
    }
}

public enum Pwd {
    static let specs = [OptionSpec("L", "logical"), OptionSpec("P", "physical")]

    /// Whether `path` names a directory without "." or ".." components (what -L may print).
    static func clean(_ path: String) -> Bool {
        guard path.hasPrefix("/") else { return false }
        return !path.split(separator: "/").contains { $0 == "." || $0 == ".." }
    }

    public static func run<IO: ProcessIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "pwd")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        if !parsed.operands.isEmpty { console.error("ignoring non-option arguments"); console.failed = false }
        // The last of -L and -P wins; GNU's pwd is -P unless -L is given.
        let logical = parsed.options.last { $0.key == "logical" || $0.key == "physical" }?.key == "logical"
        if logical, let pwd = io.environment().first(where: { $0.hasPrefix("PWD=") }).map({ String($0.dropFirst(4)) }), clean(pwd) {
            console.put(pwd)
            console.put(10)
            return console.finish()
        }
        switch io.workingDirectory() {
        case .success(let d): console.put(d); console.put(10)
        case .failure(let e): console.error("cannot get the working directory: " + e.message)
        }
        return console.finish()
    }
}
