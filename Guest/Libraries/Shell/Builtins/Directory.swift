// Directory.swift — cd, pwd (logical PWD tracking as dash's default) and umask.
import Posix

extension Shell {
    /// cd [-L|-P] [dir | -] (XCU cd): CDPATH, OLDPWD and PWD.
    func builtinCd(_ args: [String]) -> Int32 {
        var args = args[...]
        var physical = false
        while let a = args.first, a.hasPrefix("-"), a != "-" {
            args = args.dropFirst()
            if a == "--" { break }
            if a == "-P" { physical = true } else if a == "-L" { physical = false }
        }
        var target: String
        var printDirectory = false
        if let a = args.first {
            target = a
            if a == "-" {
                target = value("OLDPWD") ?? "."   // dash: no OLDPWD yet means here
                printDirectory = true
            }
        } else {
            guard let home = value("HOME"), !home.isEmpty else { return 0 }
            target = home
        }
        var candidates: [String] = []
        let first = target.utf8.first
        if first != 47 && first != 46, let cdpath = value("CDPATH") {
            for dir in cdpath.split(separator: ":", omittingEmptySubsequences: false) {
                candidates.append(dir.isEmpty ? target : String(dir) + "/" + target)
            }
        }
        candidates.append(target)
        let current = value("PWD") ?? ((try? Posix.getcwd()) ?? "/")
        for (i, candidate) in candidates.enumerated() {
            let logical = candidate.utf8.first == 47 ? normalize(candidate) : normalize(current + "/" + candidate)
            let path = physical ? candidate : logical
            guard (try? Posix.chdir(path)) != nil else { continue }
            let newPWD = physical ? ((try? Posix.getcwd()) ?? logical) : logical
            setVariable("OLDPWD", current)
            setVariable("PWD", newPWD)
            if printDirectory || (i < candidates.count - 1 && candidate != target) { out(newPWD + "\n") }
            return 0
        }
        reportError("cd: can't cd to \(target)")
        return 2
    }

    /// A path with . and .. resolved textually (XCU cd step 8).
    func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for p in path.split(separator: "/") {
            if p == "." { continue }
            if p == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(p)
        }
        // A leading "//" (exactly two) is kept: POSIX leaves its meaning to the system, dash keeps it.
        let b = Array(path.utf8)
        let root = b.count >= 2 && b[0] == 47 && b[1] == 47 && (b.count == 2 || b[2] != 47) ? "//" : "/"
        var s = ""
        for (i, p) in parts.enumerated() { s += (i == 0 ? root : "/") + p }
        return s.isEmpty ? root : s
    }

    func builtinPwd(_ args: [String]) -> Int32 {
        if args.contains("-P") {
            guard let cwd = try? Posix.getcwd() else { reportError("pwd: error retrieving current directory"); return 2 }
            return out(cwd + "\n") ? 0 : 1
        }
        return out((value("PWD") ?? ((try? Posix.getcwd()) ?? "")) + "\n") ? 0 : 1
    }

    /// umask [-S] [mask]: octal or u=rwx,g=…,o=… (XCU umask).
    func builtinUmask(_ args: [String]) -> Int32 {
        var args = args[...]
        var symbolic = false
        if args.first == "-S" { symbolic = true; args = args.dropFirst() }
        let current = Posix.umask(0)
        _ = Posix.umask(current)
        guard let spec = args.first else {
            if symbolic {
                func perms(_ bits: UInt32) -> String {
                    var s = ""
                    if bits & 4 == 0 { s += "r" }
                    if bits & 2 == 0 { s += "w" }
                    if bits & 1 == 0 { s += "x" }
                    return s
                }
                out("u=\(perms(current >> 6)),g=\(perms(current >> 3)),o=\(perms(current))\n")
            } else {
                var s = String(current, radix: 8)
                while s.utf8.count < 4 { s = "0" + s }
                out(s + "\n")
            }
            return 0
        }
        if let octal = UInt32(spec, radix: 8) {
            _ = Posix.umask(octal & 0o777)
            return 0
        }
        // Symbolic: who(+-=)perms, comma separated, applied to the permissions the mask allows.
        var allowed = ~current & 0o777
        for clause in spec.split(separator: ",") {
            let b = Array(clause.utf8)
            var i = 0
            var who: UInt32 = 0
            while i < b.count, let w = [117: UInt32(0o700), 103: 0o070, 111: 0o007, 97: 0o777][b[i]] { who |= w; i += 1 }
            if who == 0 { who = 0o777 }
            guard i < b.count, b[i] == 43 || b[i] == 45 || b[i] == 61 else { reportError("umask: Illegal mode: \(spec)"); return 2 }
            let op = b[i]
            i += 1
            var perm: UInt32 = 0
            while i < b.count {
                switch b[i] {
                case 114: perm |= 0o444
                case 119: perm |= 0o222
                case 120: perm |= 0o111
                default: reportError("umask: Illegal mode: \(spec)"); return 2
                }
                i += 1
            }
            perm &= who
            if op == 43 { allowed |= perm } else if op == 45 { allowed &= ~perm } else { allowed = (allowed & ~who) | perm }
        }
        _ = Posix.umask(~allowed & 0o777)
        return 0
    }
}
