// Stat.swift — stat [-L] [-t] [-c FORMAT | --printf FORMAT] FILE… (GNU coreutils' stat): the
// default layout GNU prints, its terse line (-t), and the common % sequences with printf's flags
// and widths: %a %A %b %B %d %D %f %F %g %G %h %i %n %N %o %s %t %T %u %U %w %W %x %X %y %Y %z
// %Z %Hd %Ld %Hr %Lr %r %% (an unknown one prints "?", as GNU's does). Times print in UTC (the
// guest has no zone database; the host's tests run GNU with TZ=UTC).

public enum Stat {
    static let specs = [
        OptionSpec("L", "dereference"), OptionSpec("t", "terse"), OptionSpec("c", "format", argument: true),
        OptionSpec(nil, "printf", argument: true, key: "printf"), OptionSpec("f", "file-system"),
    ]

    static let terse = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o\n"

    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "stat")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        if parsed.has("f") { console.error("--file-system is not supported"); return 1 }
        guard !parsed.operands.isEmpty else { console.usage("missing operand"); return 1 }
        let follow = parsed.has("dereference")
        for name in parsed.operands {
            let status: FullStatus
            switch io.fullStatus(name, followLinks: follow) {
            case .success(let s): status = s
            case .failure(let e): console.error("cannot statx " + quoted(name), e); continue
            }
            let target = status.type == FullStatus.symlink ? io.linkTarget(name) : nil
            let item = Item(name: name, status: status, target: target)
            if let printf = parsed.last("printf") {
                var warnings: [String] = []
                let text = expand(Array(printf.utf8), item, io, escapes: true, warnings: &warnings)
                for w in warnings { console.error("warning: unrecognized escape '\\" + w + "'") }
                console.failed = false
                console.put(text)
            } else if let format = parsed.last("format") {
                console.put(expand(Array(format.utf8), item, io, escapes: false)); console.put(10)
            } else if parsed.has("terse") {
                console.put(expand(Array(terse.utf8), item, io, escapes: false))
            } else {
                console.put(defaultLayout(item, io))
            }
        }
        return console.finish()
    }

    struct Item {
        let name: String
        let status: FullStatus
        let target: String?
    }

    static func defaultLayout<IO: SystemIO>(_ item: Item, _ io: IO) -> [UInt8] {
        let s = item.status
        var out = Array(("  File: " + item.name + (item.target.map { " -> " + $0 } ?? "") + "\n").utf8)
        out += expand(Array("  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n".utf8), item, io, escapes: false)
        if s.type == FullStatus.character || s.type == FullStatus.block {
            out += expand(Array("Device: %Hd,%Ld\tInode: %-11i Links: %-5h Device type: %Hr,%Lr\n".utf8), item, io, escapes: false)
        } else {
            out += expand(Array("Device: %Hd,%Ld\tInode: %-11i Links: %h\n".utf8), item, io, escapes: false)
        }
        out += expand(Array("Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\nAccess: %x\nModify: %y\nChange: %z\n Birth: %w\n".utf8),
                      item, io, escapes: false)
        return out
    }

    /// ls -l's "drwxr-xr-x": the type letter and the nine permission bits with s/S/t/T.
    public static func modeString(_ mode: UInt32) -> String {
        var out: [UInt8]
        switch mode & FullStatus.typeMask {
        case FullStatus.directory: out = [UInt8(ascii: "d")]
        case FullStatus.symlink: out = [UInt8(ascii: "l")]
        case FullStatus.character: out = [UInt8(ascii: "c")]
        case FullStatus.block: out = [UInt8(ascii: "b")]
        case FullStatus.fifo: out = [UInt8(ascii: "p")]
        case FullStatus.socket: out = [UInt8(ascii: "s")]
        default: out = [UInt8(ascii: "-")]
        }
        let specials: [(UInt32, UInt8, UInt8)] = [(0o4000, 115, 83), (0o2000, 115, 83), (0o1000, 116, 84)]
        for who in 0..<3 {
            let bits = (mode >> UInt32(6 - 3 * who)) & 7
            out.append(bits & 4 != 0 ? 114 : 45)
            out.append(bits & 2 != 0 ? 119 : 45)
            let (special, lower, upper) = specials[who]
            if mode & special != 0 { out.append(bits & 1 != 0 ? lower : upper) } else { out.append(bits & 1 != 0 ? 120 : 45) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func typeName(_ s: FullStatus) -> String {
        switch s.type {
        case FullStatus.regular: return s.size == 0 ? "regular empty file" : "regular file"
        case FullStatus.directory: return "directory"
        case FullStatus.symlink: return "symbolic link"
        case FullStatus.character: return "character special file"
        case FullStatus.block: return "block special file"
        case FullStatus.fifo: return "fifo"
        case FullStatus.socket: return "socket"
        default: return "weird file"
        }
    }

    /// Linux's dev_t of a major and minor number (glibc's makedev).
    static func deviceNumber(_ major: UInt32, _ minor: UInt32) -> UInt64 {
        let ma = UInt64(major), mi = UInt64(minor)
        return (mi & 0xff) | ((ma & 0xfff) << 8) | ((mi & ~0xff) << 12) | ((ma & ~0xfff) << 32)
    }

    static func hex(_ v: UInt64) -> String { String(v, radix: 16) }

    static func time(_ t: Timestamp) -> String {
        String(decoding: DateTool.format(Array("%Y-%m-%d %H:%M:%S.%N +0000".utf8), seconds: t.seconds, nanoseconds: t.nanoseconds), as: UTF8.self)
    }

    /// The shell's single quoting of a name (GNU's %N: 'name', a quote as '\'').
    static func shellQuoted(_ name: String) -> String {
        var out = "'"
        for b in name.utf8 { if b == 39 { out += "'\\''" } else { out += String(decoding: [b], as: UTF8.self) } }
        return out + "'"
    }

    enum Value { case number(UInt64), signed(Int64), text(String) }

    /// One conversion's value (nil: unknown, printed "?").
    static func value<IO: SystemIO>(_ c: UInt8, modifier: UInt8?, _ item: Item, _ io: IO) -> Value? {
        let s = item.status
        switch (modifier, c) {
        case (UInt8(ascii: "H"), UInt8(ascii: "d")): return .number(UInt64(s.deviceMajor))
        case (UInt8(ascii: "L"), UInt8(ascii: "d")): return .number(UInt64(s.deviceMinor))
        case (UInt8(ascii: "H"), UInt8(ascii: "r")): return .number(UInt64(s.specialMajor))
        case (UInt8(ascii: "L"), UInt8(ascii: "r")): return .number(UInt64(s.specialMinor))
        case (nil, _): break
        default: return nil
        }
        switch c {
        case UInt8(ascii: "a"): return .text(String(s.mode & 0o7777, radix: 8))
        case UInt8(ascii: "A"): return .text(modeString(s.mode))
        case UInt8(ascii: "b"): return .number(s.blocks)
        case UInt8(ascii: "B"): return .number(512)
        case UInt8(ascii: "d"): return .number(deviceNumber(s.deviceMajor, s.deviceMinor))
        case UInt8(ascii: "D"): return .text(hex(deviceNumber(s.deviceMajor, s.deviceMinor)))
        case UInt8(ascii: "f"): return .text(hex(UInt64(s.mode)))
        case UInt8(ascii: "F"): return .text(typeName(s))
        case UInt8(ascii: "g"): return .number(UInt64(s.gid))
        case UInt8(ascii: "G"): return .text(io.groupName(s.gid) ?? "UNKNOWN")
        case UInt8(ascii: "h"): return .number(s.links)
        case UInt8(ascii: "i"): return .number(s.inode)
        case UInt8(ascii: "n"): return .text(item.name)
        case UInt8(ascii: "N"): return .text(shellQuoted(item.name) + (item.target.map { " -> " + shellQuoted($0) } ?? ""))
        case UInt8(ascii: "o"): return .number(s.blockSize)
        case UInt8(ascii: "s"): return .number(s.size)
        case UInt8(ascii: "r"): return .number(deviceNumber(s.specialMajor, s.specialMinor))
        case UInt8(ascii: "t"): return .text(hex(UInt64(s.specialMajor)))
        case UInt8(ascii: "T"): return .text(hex(UInt64(s.specialMinor)))
        case UInt8(ascii: "u"): return .number(UInt64(s.uid))
        case UInt8(ascii: "U"): return .text(io.userName(s.uid) ?? "UNKNOWN")
        case UInt8(ascii: "w"): return .text(s.born.map { time($0) } ?? "-")
        case UInt8(ascii: "W"): return .signed(s.born?.seconds ?? 0)
        case UInt8(ascii: "x"): return .text(time(s.accessed))
        case UInt8(ascii: "X"): return .signed(s.accessed.seconds)
        case UInt8(ascii: "y"): return .text(time(s.modified))
        case UInt8(ascii: "Y"): return .signed(s.modified.seconds)
        case UInt8(ascii: "z"): return .text(time(s.changed))
        case UInt8(ascii: "Z"): return .signed(s.changed.seconds)
        default: return nil
        }
    }

    /// A format with its % directives replaced (and, for --printf, backslash escapes).
    static func expand<IO: SystemIO>(_ format: [UInt8], _ item: Item, _ io: IO, escapes: Bool) -> [UInt8] {
        var warnings: [String] = []
        return expand(format, item, io, escapes: escapes, warnings: &warnings)
    }

    static func expand<IO: SystemIO>(_ format: [UInt8], _ item: Item, _ io: IO, escapes: Bool, warnings: inout [String]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < format.count {
            let b = format[i]
            i += 1
            if escapes && b == 92 && i < format.count {
                i = escape(format, i, &out, &warnings)
                continue
            }
            guard b == 37 else { out.append(b); continue }
            guard i < format.count else { out.append(37); break }
            if format[i] == 37 { out.append(37); i += 1; continue }
            var left = false, zero = false, alternate = false, plus = false, space = false
            while i < format.count, [45, 48, 35, 43, 32, 39].contains(format[i]) {
                switch format[i] {
                case 45: left = true
                case 48: zero = true
                case 35: alternate = true
                case 43: plus = true
                case 32: space = true
                default: break
                }
                i += 1
            }
            var width = 0
            while i < format.count, format[i] >= 48 && format[i] <= 57 { width = min(width * 10 + Int(format[i] - 48), 4096); i += 1 }
            var precision: Int? = nil
            if i < format.count, format[i] == 46 {
                i += 1
                var p = 0
                while i < format.count, format[i] >= 48 && format[i] <= 57 { p = min(p * 10 + Int(format[i] - 48), 4096); i += 1 }
                precision = p
            }
            var modifier: UInt8? = nil
            if i + 1 < format.count, format[i] == UInt8(ascii: "H") || format[i] == UInt8(ascii: "L"),
               format[i + 1] == UInt8(ascii: "d") || format[i + 1] == UInt8(ascii: "r") {
                modifier = format[i]; i += 1
            }
            guard i < format.count else { out.append(63); break }
            let conversion = format[i]
            i += 1
            guard let v = value(conversion, modifier: modifier, item, io) else { out.append(63); continue }
            var body: [UInt8]
            var sign: [UInt8] = []
            var numeric = true
            switch v {
            case .number(let n): body = Array(String(n).utf8); if plus { sign = [43] } else if space { sign = [32] }
            case .signed(let n):
                body = Array(String(n < 0 ? UInt64(n.magnitude) : UInt64(n)).utf8)
                sign = n < 0 ? [45] : plus ? [43] : space ? [32] : []
            case .text(let t):
                body = Array(t.utf8)
                numeric = conversion == UInt8(ascii: "a") || conversion == UInt8(ascii: "f") || conversion == UInt8(ascii: "D")
                    || conversion == UInt8(ascii: "t") || conversion == UInt8(ascii: "T")
                if alternate && conversion == UInt8(ascii: "a") && body.first != 48 { body = [48] + body }
                if alternate && numeric && conversion != UInt8(ascii: "a") { body = Array("0x".utf8) + body }
                if !numeric, let precision, body.count > precision { body = Array(body.prefix(precision)) }
            }
            if numeric, let precision, body.count < precision { body = [UInt8](repeating: 48, count: precision - body.count) + body }
            let length = sign.count + body.count
            if length >= width { out += sign + body }
            else if left { out += sign + body + [UInt8](repeating: 32, count: width - length) }
            else if zero && numeric && precision == nil { out += sign + [UInt8](repeating: 48, count: width - length) + body }
            else { out += [UInt8](repeating: 32, count: width - length) + sign + body }
        }
        return out
    }

    /// A --printf backslash escape at format[i] (after the backslash); the index after it.
    static func escape(_ format: [UInt8], _ start: Int, _ out: inout [UInt8], _ warnings: inout [String]) -> Int {
        var i = start
        let c = format[i]
        i += 1
        switch c {
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "t"): out.append(9)
        case UInt8(ascii: "r"): out.append(13)
        case UInt8(ascii: "a"): out.append(7)
        case UInt8(ascii: "b"): out.append(8)
        case UInt8(ascii: "f"): out.append(12)
        case UInt8(ascii: "v"): out.append(11)
        case UInt8(ascii: "e"): out.append(27)
        case UInt8(ascii: "\\"): out.append(92)
        case UInt8(ascii: "\""): out.append(34)
        case UInt8(ascii: "x"):
            var v = 0, n = 0
            while n < 2, i < format.count, let d = hexDigit(format[i]) { v = v * 16 + d; i += 1; n += 1 }
            if n == 0 { out.append(120); warnings.append("x") } else { out.append(UInt8(v)) }
        case 48...55:
            var v = Int(c - 48), n = 1
            while n < 3, i < format.count, format[i] >= 48 && format[i] <= 55 { v = v * 8 + Int(format[i] - 48); i += 1; n += 1 }
            out.append(UInt8(truncatingIfNeeded: v))
        default: out.append(c); warnings.append(String(decoding: [c], as: UTF8.self))
        }
        return i
    }

    static func hexDigit(_ b: UInt8) -> Int? {
        switch b {
        case 48...57: return Int(b - 48)
        case 97...102: return Int(b - 87)
        case 65...70: return Int(b - 55)
        default: return nil
        }
    }
}
