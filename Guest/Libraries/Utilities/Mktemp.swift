// Mktemp.swift — mktemp [-dqtu] [-p DIR] [--suffix=SUFF] [TEMPLATE] (GNU coreutils' mktemp): a new
// file (mode 0600) or directory (0700) whose name is TEMPLATE with its last run of at least three
// X's replaced by random letters and digits, made with exclusive creation and retried on a clash.
// Where: no TEMPLATE is "tmp.XXXXXXXXXX" in $TMPDIR or /tmp; -p DIR puts TEMPLATE in DIR (then
// $TMPDIR, /tmp); -t in $TMPDIR first, then DIR, then /tmp, and TEMPLATE may not hold a slash.

public enum Mktemp {
    static let specs = [
        OptionSpec("d", "directory"), OptionSpec("q", "quiet"), OptionSpec("u", "dry-run"),
        // -p DIR takes its argument; --tmpdir[=DIR] may go without (GNU)
        OptionSpec("p", nil, argument: true, key: "tmpdir"), OptionSpec(nil, "tmpdir", optionalArgument: true), OptionSpec("t", nil, key: "t"),
        OptionSpec(nil, "suffix", argument: true),
    ]
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "mktemp")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        if parsed.operands.count > 1 { console.usage("too many templates"); return 1 }
        let environment = io.environment()
        let tmpdir = environment.last { $0.hasPrefix("TMPDIR=") }.map { String(decoding: $0.utf8.dropFirst(7), as: UTF8.self) }
        let given = parsed.operands.first
        var template = given ?? "tmp.XXXXXXXXXX"
        let useDirectory = given == nil || parsed.has("t") || parsed.has("tmpdir")
        let t = parsed.has("t")
        // a template put in a directory: with -t a name alone, with -p/--tmpdir not absolute (GNU)
        if parsed.has("tmpdir") && !t && template.hasPrefix("/") {
            console.error("invalid template, " + quoted(template) + "; with --tmpdir, it may not be absolute")
            return 1
        }
        if t && template.utf8.contains(UInt8(ascii: "/")) {
            console.error("invalid template, " + quoted(template) + ", contains directory separator")
            return 1
        }
        // The suffix: --suffix's, or what follows the template's last X.
        var suffix = parsed.last("suffix") ?? ""
        if parsed.last("suffix") != nil {
            if template.utf8.last != UInt8(ascii: "X") && !suffix.isEmpty {
                console.error("with --suffix, template " + quoted(template) + " must end in X"); return 1
            }
            template += suffix
        } else if let lastX = template.utf8.lastIndex(of: UInt8(ascii: "X")) {
            suffix = String(decoding: template.utf8[template.utf8.index(after: lastX)...], as: UTF8.self)
        }
        var bytes = Array(template.utf8)
        let end = bytes.count - suffix.utf8.count
        var start = end
        while start > 0 && bytes[start - 1] == UInt8(ascii: "X") { start -= 1 }
        if end - start < 3 { console.error("too few X's in template " + quoted(template)); return 1 }
        var prefix: [UInt8] = []
        if useDirectory {
            let explicit = parsed.last("tmpdir").flatMap { $0.isEmpty ? nil : $0 }
            let env = tmpdir.flatMap { $0.isEmpty ? nil : $0 }
            let directory = (t ? (env ?? explicit) : (explicit ?? env)) ?? "/tmp"
            prefix = Array(directory.utf8)
            if prefix.last != UInt8(ascii: "/") { prefix.append(UInt8(ascii: "/")) }
        }
        let directory = parsed.has("directory")
        for _ in 0..<100 {
            let random = io.randomBytes(end - start)
            for i in start..<end { bytes[i] = alphabet[Int(random[i - start]) % alphabet.count] }
            let path = String(decoding: prefix + bytes, as: UTF8.self)
            let result: Result<Void, SystemError>
            if parsed.has("dry-run") {
                if case .success = io.info(path, followLinks: false) { continue }
                result = .success(())
            } else {
                result = directory ? io.makeDirectory(path, mode: 0o700) : io.createExclusive(path, mode: 0o600)
            }
            switch result {
            case .success:
                console.put(path); console.put(10)
                return console.finish()
            case .failure(let e) where e == .EEXIST: continue
            case .failure(let e):
                if !parsed.has("quiet") {
                    console.error("failed to create " + (directory ? "directory" : "file") + " via template "
                                  + quoted(String(decoding: prefix + Array(template.utf8), as: UTF8.self)), e)
                }
                return 1
            }
        }
        if !parsed.has("quiet") {
            console.error("failed to create " + (directory ? "directory" : "file") + " via template " + quoted(template), .EEXIST)
        }
        return 1
    }
}
