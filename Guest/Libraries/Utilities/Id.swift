// Id.swift — id [-ugGnrz] [USER] and whoami (POSIX.1-2017 "id"; GNU's output and messages): the
// process's identity or a named user's, numbers with their names from the backend's databases.

public enum Id {
    static let specs = [
        OptionSpec("u", "user"), OptionSpec("g", "group"), OptionSpec("G", "groups"), OptionSpec("n", "name"),
        OptionSpec("r", "real"), OptionSpec("z", "zero"), OptionSpec("a", nil, key: "a"),
    ]

    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "id")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        let only = ["user", "group", "groups"].filter { parsed.has($0) }
        if only.count > 1 { console.error("cannot print \"only\" of more than one choice"); return 1 }
        if only.isEmpty && (parsed.has("name") || parsed.has("real")) {
            console.error("cannot print only names or real IDs in default format"); return 1
        }
        if only.isEmpty && parsed.has("zero") { console.error("option --zero not permitted in default format"); return 1 }
        if parsed.operands.count > 1 {
            for name in parsed.operands { console.error(quoted(name) + ": no such user") }
            return 1
        }
        var identity = io.identity()
        var userName: String? = nil
        if let name = parsed.operands.first {
            guard let user = io.user(named: name) else { console.error(quoted(name) + ": no such user"); return 1 }
            userName = name
            var groups = [user.gid]
            for g in io.supplementaryGroups(of: name) where !groups.contains(g) { groups.append(g) }
            identity = Identity(uid: user.uid, euid: user.uid, gid: user.gid, egid: user.gid, groups: groups)
        }
        let end: UInt8 = parsed.has("zero") ? 0 : 10
        let real = parsed.has("real"), names = parsed.has("name")
        func user(_ id: UInt32) -> String {
            guard names else { return String(id) }
            if let n = io.userName(id) { return n }
            console.error("cannot find name for user ID \(id)")
            return String(id)
        }
        func group(_ id: UInt32) -> String {
            guard names else { return String(id) }
            if let n = io.groupName(id) { return n }
            console.error("cannot find name for group ID \(id)")
            return String(id)
        }
        // The groups as GNU lists them: the (effective) primary group first, then the others.
        var groups = [real ? identity.gid : identity.egid]
        for g in identity.groups where !groups.contains(g) { groups.append(g) }
        if userName == nil && identity.gid != identity.egid && !groups.contains(identity.gid) { groups.append(identity.gid) }
        switch only.first {
        case "user": console.put(user(real ? identity.uid : identity.euid)); console.put(end)
        case "group": console.put(group(real ? identity.gid : identity.egid)); console.put(end)
        case "groups":
            console.put(groups.map { group($0) }.joined(separator: end == 0 ? "\u{0}" : " "))
            console.put(end)
        default:
            func named(_ id: UInt32, _ name: String?) -> String { String(id) + (name.map { "(" + $0 + ")" } ?? "") }
            var text = "uid=" + named(identity.uid, io.userName(identity.uid)) + " gid=" + named(identity.gid, io.groupName(identity.gid))
            if identity.euid != identity.uid { text += " euid=" + named(identity.euid, io.userName(identity.euid)) }
            if identity.egid != identity.gid { text += " egid=" + named(identity.egid, io.groupName(identity.egid)) }
            text += " groups=" + groups.map { named($0, io.groupName($0)) }.joined(separator: ",")
            console.put(text)
            console.put(10)
        }
        return console.finish()
    }
}

/// whoami: the effective user's name.
public enum Whoami {
    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "whoami")
        guard let parsed = console.options(arguments, []) else { return 1 }
        if let extra = parsed.operands.first { console.usage("extra operand " + quoted(extra)); return 1 }
        let uid = io.identity().euid
        guard let name = io.userName(uid) else { console.error("cannot find name for user ID \(uid)"); return 1 }
        console.put(name)
        console.put(10)
        return console.finish()
    }
}
