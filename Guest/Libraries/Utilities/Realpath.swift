// Realpath.swift — realpath [-e|-m] [-q] [-z] FILE… and readlink [-f|-e|-m] [-n] [-q|-s] [-z] FILE…
// (GNU coreutils): a name made absolute from the working directory, "." and ".." and repeated
// slashes resolved. The guest's file system has no symbolic links (RedoxFS as served by fsd), so
// canonicalising is path arithmetic plus the existence checks: by default every component but the
// last must exist (and be a directory), -e all of them, -m none. readlink without -f/-e/-m prints a
// link's target: with no links, every operand fails quietly as GNU's does on a non-link.

enum Canonical {
    enum Mode { case allButLast, all, anyMissing }

    /// The canonical absolute form of `path`, or the error of the first component that fails.
    static func resolve<IO: ProcessIO & TreeIO>(_ path: String, _ mode: Mode, _ io: IO) -> Result<String, SystemError> {
        if path.isEmpty { return .failure(.ENOENT) }
        var base = "/"
        if !path.hasPrefix("/") {
            switch io.workingDirectory() {
            case .success(let d): base = d
            case .failure(let e): return .failure(e)
            }
        }
        var parts: [Substring] = []
        for p in (base + "/" + path).split(separator: "/") {
            if p == "." { continue }
            if p == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(p)
        }
        // Existence: each prefix as the walk reaches it; only the very last component may be
        // missing (by default), and every one before it must be a directory.
        if mode != .anyMissing {
            let all = (base + "/" + path).split(separator: "/")
            var walked: [Substring] = []
            for (k, p) in all.enumerated() where p != "." {
                if p == ".." { if !walked.isEmpty { walked.removeLast() }; continue }
                walked.append(p)
                let isLast = k == all.count - 1
                switch io.info("/" + walked.joined(separator: "/"), followLinks: true) {
                case .success(let info):
                    if !isLast && info.kind != .directory { return .failure(SystemError(20)) }   // ENOTDIR
                case .failure(let e):
                    if mode == .allButLast && e == .ENOENT && isLast { continue }
                    return .failure(e)
                }
            }
        }
        return .success("/" + parts.joined(separator: "/"))
    }
}

public enum Realpath {
    static let specs = [
        OptionSpec("e", "canonicalize-existing"), OptionSpec("m", "canonicalize-missing"), OptionSpec("q", "quiet"),
        OptionSpec("z", "zero"), OptionSpec("s", "strip"), OptionSpec(nil, "no-symlinks", key: "strip"),
        OptionSpec("L", "logical"), OptionSpec("P", "physical"),
    ]

    public static func run<IO: ProcessIO & TreeIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "realpath")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        guard !parsed.operands.isEmpty else { console.usage("missing operand"); return 1 }
        let mode: Canonical.Mode = parsed.has("canonicalize-existing") ? .all : parsed.has("canonicalize-missing") ? .anyMissing : .allButLast
        let end: UInt8 = parsed.has("zero") ? 0 : 10
        for name in parsed.operands {
            switch Canonical.resolve(name, mode, io) {
            case .success(let p): console.put(p); console.put(end)
            case .failure(let e):
                if parsed.has("quiet") { console.failed = true } else { console.error(name, e) }
            }
        }
        return console.finish()
    }
}

public enum Readlink {
    static let specs = [
        OptionSpec("f", "canonicalize"), OptionSpec("e", "canonicalize-existing"), OptionSpec("m", "canonicalize-missing"),
        OptionSpec("n", "no-newline"), OptionSpec("q", "quiet"), OptionSpec("s", "silent", key: "quiet"),
        OptionSpec("v", "verbose"), OptionSpec("z", "zero"),
    ]

    public static func run<IO: ProcessIO & TreeIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "readlink")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        guard !parsed.operands.isEmpty else { console.usage("missing operand"); return 1 }
        // the last of -f/-e/-m decides
        var mode: Canonical.Mode? = nil
        for (key, _) in parsed.options {
            if key == "canonicalize" { mode = .allButLast }
            if key == "canonicalize-existing" { mode = .all }
            if key == "canonicalize-missing" { mode = .anyMissing }
        }
        let end: UInt8 = parsed.has("zero") ? 0 : 10
        let verbose = parsed.has("verbose") && !parsed.has("quiet")
        // -n: no delimiter, and GNU warns it is ignored with several operands
        let noNewline = parsed.has("no-newline") && parsed.operands.count == 1
        if parsed.has("no-newline") && parsed.operands.count > 1 {
            console.flush(); io.writeError(Array("readlink: ignoring --no-newline with multiple arguments\n".utf8))
        }
        for name in parsed.operands {
            if let mode {
                switch Canonical.resolve(name, mode, io) {
                case .success(let p): console.put(p); if !noNewline { console.put(end) }
                case .failure(let e): if verbose { console.error(name, e) } else { console.failed = true }
                }
                continue
            }
            // No links to read: a missing file is ENOENT, anything else is not a link (EINVAL).
            let e: SystemError
            switch io.info(name, followLinks: false) {
            case .failure(let f): e = f
            case .success: e = .EINVAL
            }
            if verbose { console.error(name, e) } else { console.failed = true }
        }
        return console.finish()
    }
}
