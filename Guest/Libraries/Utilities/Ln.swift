// Ln.swift — ln [-sfnTv] TARGET [LINK] / TARGET… DIRECTORY (POSIX.1-2017 "ln"; GNU's messages).
// The links themselves are the backend's: the guest's file system (RedoxFS through fsd) has no
// link call, so there every link fails with "Operation not supported" and ln says so.

public enum Ln {
    static let specs = [
        OptionSpec("s", "symbolic"), OptionSpec("f", "force"), OptionSpec("n", "no-dereference"),
        OptionSpec("T", "no-target-directory"), OptionSpec("v", "verbose"),
        OptionSpec("t", "target-directory", argument: true),
    ]

    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "ln")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        let symbolic = parsed.has("symbolic"), force = parsed.has("force"), verbose = parsed.has("verbose")
        var operands = parsed.operands
        var directory: String? = parsed.last("target-directory")
        if operands.isEmpty { console.usage("missing file operand"); return 1 }
        if directory == nil && !parsed.has("no-target-directory") {
            if operands.count == 1 {
                directory = "."
            } else if let last = operands.last {
                let isDirectory: Bool
                switch io.info(last, followLinks: !parsed.has("no-dereference")) {
                case .success(let info): isDirectory = info.kind == .directory
                case .failure(let e):
                    if operands.count > 2 { console.error("target " + quoted(last), e); return 1 }
                    isDirectory = false
                }
                if isDirectory { directory = last; operands.removeLast() }
                else if operands.count > 2 { console.error("target " + quoted(last) + " is not a directory"); return 1 }
            }
        } else if parsed.has("no-target-directory") && operands.count != 2 {
            console.usage(operands.count < 2 ? "missing destination file operand after " + quoted(operands[0])
                                             : "extra operand " + quoted(operands[2]))
            return 1
        }
        var pairs: [(target: String, link: String)] = []
        if let directory {
            for target in operands {
                let base = Basename.basename(target, suffix: nil)
                pairs.append((target, directory.utf8.last == UInt8(ascii: "/") ? directory + base : directory + "/" + base))
            }
        } else {
            pairs.append((operands[0], operands[1]))
        }
        for (target, link) in pairs {
            if !symbolic {
                switch io.info(target, followLinks: false) {
                case .failure(let e): console.error("failed to access " + quoted(target), e); continue
                case .success(let info) where info.kind == .directory:
                    console.error(target + ": hard link not allowed for directory"); continue
                default: break
                }
            }
            if force, case .success(let existing) = io.info(link, followLinks: false), existing.kind != .directory {
                if case .failure(let e) = io.remove(link) { console.error("cannot remove " + quoted(link), e); continue }
            }
            switch io.makeLink(target, at: link, symbolic: symbolic) {
            case .success:
                if verbose { console.put(quoted(link) + (symbolic ? " -> " : " => ") + quoted(target) + "\n") }
            case .failure(let e):
                if symbolic { console.error("failed to create symbolic link " + quoted(link), e) }
                else if e == .EEXIST { console.error("failed to create hard link " + quoted(link), e) }
                else { console.error("failed to create hard link " + quoted(link) + " => " + quoted(target), e) }
            }
        }
        return console.finish()
    }
}
