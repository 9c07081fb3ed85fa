// Chown.swift — chown [-R] [-v] [-c] [-f] OWNER[:GROUP] FILE… (POSIX.1-2017 "chown"; GNU's spec
// forms: "user", "user:group", ":group", "user:" (the user's login group), the old "user.group"
// with GNU's warning; names looked up first, then numbers). The owners themselves are the
// backend's: the guest's fsd stores no owner (every file is root's), so there only root (0:0)
// can be given, and anything else fails with "Operation not supported".

public enum Chown {
    static let specs = [
        OptionSpec("R", "recursive"), OptionSpec("v", "verbose"), OptionSpec("c", "changes"),
        OptionSpec("f", "silent"), OptionSpec(nil, "quiet", key: "silent"), OptionSpec("h", "no-dereference"),
    ]

    static func number(_ text: String) -> UInt32? {
        guard let n = parseDecimal(text), n <= Int(UInt32.max - 1) else { return nil }
        return UInt32(n)
    }

    /// The owner and group a spec names; the error is GNU's message.
    static func parseSpec<IO: SystemIO>(_ spec: String, _ io: IO, warn: (String) -> Void) -> Result<(uid: UInt32?, gid: UInt32?), OptionError> {
        var bytes = Array(spec.utf8)
        var separator = bytes.firstIndex(of: UInt8(ascii: ":"))
        if separator == nil, let dot = bytes.firstIndex(of: UInt8(ascii: ".")) {
            // "user.group" (obsolete): only when the whole is not a user's name
            let whole = String(decoding: bytes, as: UTF8.self)
            if io.user(named: whole) == nil {
                separator = dot
                warn("warning: '.' should be ':': " + quoted(spec))
                bytes[dot] = UInt8(ascii: ":")
            }
        }
        let userText = String(decoding: bytes[..<(separator ?? bytes.count)], as: UTF8.self)
        let groupText = separator.map { String(decoding: bytes[($0 + 1)...], as: UTF8.self) }
        var uid: UInt32? = nil, gid: UInt32? = nil
        if !userText.isEmpty {
            if let user = io.user(named: userText) {
                uid = user.uid
                if groupText == "" { gid = user.gid }
            } else if let n = number(userText) {
                uid = n
                if groupText == "" { return .failure(.message("invalid spec: " + quoted(spec))) }
            } else {
                return .failure(.message("invalid user: " + quoted(spec)))
            }
        }
        if let groupText, !groupText.isEmpty {
            if let g = io.groupID(named: groupText) { gid = g }
            else if let n = number(groupText) { gid = n }
            else { return .failure(.message("invalid group: " + quoted(spec))) }
        }
        return .success((uid, gid))
    }

    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "chown")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        guard let spec = parsed.operands.first else { console.usage("missing operand"); return 1 }
        guard parsed.operands.count > 1 else { console.usage("missing operand after " + quoted(spec)); return 1 }
        var warnings: [String] = []
        let ids: (uid: UInt32?, gid: UInt32?)
        switch parseSpec(spec, io, warn: { warnings.append($0) }) {
        case .success(let v): ids = v
        case .failure(.message(let text)): console.error(text); return 1
        }
        for w in warnings { console.error(w); console.failed = false }
        let silent = parsed.has("silent"), verbose = parsed.has("verbose") || parsed.has("changes")
        var pending = Array(parsed.operands.dropFirst().reversed())
        while let path = pending.popLast() {
            switch io.changeOwner(path, uid: ids.uid, gid: ids.gid) {
            case .success:
                if verbose { console.put("ownership of " + quoted(path) + " retained as " + spec + "\n") }
            case .failure(let e):
                if !silent { console.error(e == .ENOENT ? "cannot access " + quoted(path) : "changing ownership of " + quoted(path), e) }
                console.failed = true
            }
            if parsed.has("recursive"), case .success(let info) = io.info(path, followLinks: false), info.kind == .directory,
               case .success(let names) = io.list(path) {
                for name in names.reversed() { pending.append(path.utf8.last == UInt8(ascii: "/") ? path + name : path + "/" + name) }
            }
        }
        return console.finish()
    }
}
