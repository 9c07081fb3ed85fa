// LsColors.swift — ls --color as GNU coreutils 9.1 colors names: its built-in table (ls.c's
// color_indicator), overridden key by key by LS_COLORS ("di=01;34:*.tar=01;31:ln=target:…"), and
// the choice of a key per file (print_color_indicator: set-uid, set-gid, executable, sticky and
// other-writable directories, links, orphans, missing targets, suffixes). Without LS_COLORS, GNU
// colors only when COLORTERM is set or TERM is one of dircolors' terminals. Small lists, not
// dictionaries: a Dictionary needs floating point (ceil) that the guest's Swift programs lack.

struct LsColors {
    var table: [(key: String, value: String)] = [
        ("di", "01;34"), ("ln", "01;36"), ("pi", "33"), ("so", "01;35"), ("bd", "01;33"), ("cd", "01;33"), ("ex", "01;32"),
        ("do", "01;35"), ("su", "37;41"), ("sg", "30;43"), ("st", "37;44"), ("ow", "34;42"), ("tw", "30;42"),
    ]
    var extensions: [(suffix: [UInt8], sequence: String)] = []
    var left = "\u{1B}[", right = "m"
    var end: String? = nil
    /// ln=target: a link is colored as what it points to.
    var referent = false
    var enabled = true

    /// dircolors' TERM patterns (coreutils 9.1 src/dircolors.hin).
    static let terminals = ["Eterm", "ansi", "*color*", "con[0-9]*x[0-9]*", "cons25", "console", "cygwin", "*direct*", "dtterm",
                            "gnome", "hurd", "jfbterm", "konsole", "kterm", "linux", "linux-c", "mlterm", "putty", "rxvt*",
                            "screen*", "st", "terminator", "tmux*", "vt100", "xterm*"]

    subscript(_ key: String) -> String? {
        get { table.last { $0.key == key }?.value }
        set {
            table.removeAll { $0.key == key }
            if let newValue { table.append((key, newValue)) }
        }
    }

    init(_ environment: [String]) {
        func value(_ name: String) -> String? {
            for item in environment.reversed() {
                let bytes = Array(item.utf8)
                guard let eq = bytes.firstIndex(of: 61), String(decoding: bytes[..<eq], as: UTF8.self) == name else { continue }
                return String(decoding: bytes[(eq + 1)...], as: UTF8.self)
            }
            return nil
        }
        guard let spec = value("LS_COLORS"), !spec.isEmpty else {
            let term = Array((value("TERM") ?? "").utf8)
            enabled = !(value("COLORTERM") ?? "").isEmpty
                || LsColors.terminals.contains { Glob(pattern: Array($0.utf8), ignoreCase: false).matches(term) }
            return
        }
        for item in Array(spec.utf8).split(separator: 58, omittingEmptySubsequences: true) {
            guard let eq = item.firstIndex(of: 61) else { continue }
            let key = Array(item[..<eq]), value = String(decoding: item[(eq + 1)...], as: UTF8.self)
            if key.first == UInt8(ascii: "*") {
                extensions.append((Array(key.dropFirst()), value))
                continue
            }
            switch String(decoding: key, as: UTF8.self) {
            case "lc": left = value
            case "rc": right = value
            case "ec": end = value
            case "ln" where value == "target": referent = true; self["ln"] = nil
            case let name: self[name] = value
            }
        }
    }

    /// What follows a colored name (and precedes the first): "ec", or left "0" right.
    var reset: String { end ?? left + "0" + right }

    func colored(_ key: String) -> Bool {
        guard let v = self[key] else { return false }
        return !v.isEmpty && v != "0" && v != "00"
    }

    /// GNU's check_symlink_mode: the colors that need a link's target looked at.
    func needsLinkTargets(long: Bool) -> Bool {
        enabled && (colored("or") || (referent && colored("ex")) || (colored("mi") && long))
    }

    /// The sequence for an entry's name (or its link's target), nil for none.
    func sequence(for e: Ls.Entry, target: Bool, linkTargetsKnown: Bool) -> String? {
        guard enabled else { return nil }
        let targetStatus = linkTargetsKnown ? e.targetStatus : nil
        let linkOK = targetStatus != nil
        var mode: UInt32
        let name: String
        if target {
            if !linkOK && colored("mi") { return self["mi"] }
            mode = targetStatus?.mode ?? 0
            name = e.target ?? ""
        } else {
            guard let s = e.status else { return self["or"] }
            mode = s.mode
            if referent, let t = targetStatus, s.type == FullStatus.symlink { mode = t.mode }
            name = e.name
        }
        let links = (target || referent ? targetStatus : e.status)?.links ?? 1
        var key: String
        switch mode & FullStatus.typeMask {
        case FullStatus.regular:
            key = "fi"
            if mode & 0o4000 != 0 && colored("su") { key = "su" }
            else if mode & 0o2000 != 0 && colored("sg") { key = "sg" }
            else if mode & 0o111 != 0 && colored("ex") { key = "ex" }
            else if links > 1 && colored("mh") { key = "mh" }
        case FullStatus.directory:
            key = "di"
            if mode & 0o1000 != 0 && mode & 0o002 != 0 && colored("tw") { key = "tw" }
            else if mode & 0o002 != 0 && colored("ow") { key = "ow" }
            else if mode & 0o1000 != 0 && colored("st") { key = "st" }
        case FullStatus.symlink:
            key = !linkOK && (referent || colored("or")) ? "or" : "ln"
        case FullStatus.fifo: key = "pi"
        case FullStatus.socket: key = "so"
        case FullStatus.block: key = "bd"
        case FullStatus.character: key = "cd"
        default: key = "or"
        }
        if key == "fi" {
            // the last matching suffix given wins, as GNU's list (built by prepending) finds it first
            let bytes = Array(name.utf8)
            for (suffix, sequence) in extensions.reversed() where bytes.count >= suffix.count && bytes.suffix(suffix.count).elementsEqual(suffix) {
                return sequence
            }
        }
        return self[key]
    }
}
