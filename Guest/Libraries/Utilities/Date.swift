// Date.swift — date [-u] [-d STRING | -r FILE] [-R | -I[FMT]] [+FORMAT] as GNU coreutils 9 prints it in the
// C locale (POSIX.1-2017 "date": the conversion specifications of strftime; GNU's flags "-" no
// padding, "_" spaces, "0" zeros, "^" upper case, and a field width; %N %s %:z %P). The time zone
// is UTC: the guest has no zone database (TZ other than UTC is read as UTC). -d takes the common
// forms: "@SECONDS", "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS[.FRACTION]]" (also with "T"), "HH:MM[:SS]"
// (today), "now", each with an optional "Z"/"UTC". -I[FMT] (--iso-8601) prints ISO 8601.

public enum DateTool {
    static let specs = [
        OptionSpec("u", "utc"), OptionSpec(nil, "universal", key: "utc"), OptionSpec("d", "date", argument: true),
        OptionSpec("r", "reference", argument: true), OptionSpec("R", "rfc-email"),
        OptionSpec(nil, "iso-8601", optionalArgument: true),
    ]

    /// A broken-down UTC time.
    struct Civil {
        var year: Int64, month: Int, day: Int, hour: Int, minute: Int, second: Int
        /// 0 Sunday … 6 Saturday; 0-based day of the year.
        var weekday: Int, yearDay: Int
    }

    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    static func days(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func isLeap(_ y: Int64) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func civil(_ seconds: Int64) -> Civil {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = Int(seconds - days * 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = Int(((days % 7) + 11) % 7)   // 1970-01-01 was a Thursday
        let yearDay = Int(days - DateTool.days(year: year, month: 1, day: 1))
        return Civil(year: year, month: month, day: day, hour: rest / 3600, minute: rest / 60 % 60, second: rest % 60,
                     weekday: weekday, yearDay: yearDay)
    }

    /// ISO 8601 week-based year and week (weeks start on Monday; week 1 holds the year's first
    /// Thursday; a year has 53 weeks when it starts on a Thursday, or a Wednesday in a leap year).
    static func isoWeek(_ c: Civil) -> (Int64, Int) {
        func weeks(_ y: Int64) -> Int {
            func p(_ y: Int64) -> Int64 { ((y + y / 4 - y / 100 + y / 400) % 7 + 7) % 7 }
            return p(y) == 4 || p(y - 1) == 3 ? 53 : 52
        }
        let wday = (c.weekday + 6) % 7   // Monday 0
        let week = (c.yearDay - wday + 10) / 7
        if week < 1 { return (c.year - 1, weeks(c.year - 1)) }
        if week > weeks(c.year) { return (c.year + 1, 1) }
        return (c.year, week)
    }

    /// Formats `seconds` (UTC) by `format`.
    static func format(_ format: [UInt8], seconds: Int64, nanoseconds: Int64) -> [UInt8] {
        let c = civil(seconds)
        var out: [UInt8] = []
        var i = 0
        while i < format.count {
            let b = format[i]
            i += 1
            guard b == 37, i < format.count else { out.append(b); continue }
            let start = i - 1
            // flags, width, the ":" of %:z, the conversion
            var pad: UInt8? = nil   // nil: the conversion's default
            var upper = false, noPad = false
            while i < format.count, [45, 95, 48, 94, 35].contains(format[i]) {
                switch format[i] {
                case 45: noPad = true
                case 95: pad = 32
                case 48: pad = 48
                case 94: upper = true
                default: break
                }
                i += 1
            }
            var width: Int? = nil
            while i < format.count, format[i] >= 48 && format[i] <= 57 { width = min((width ?? 0) * 10 + Int(format[i] - 48), 4096); i += 1 }
            var colons = 0
            while i < format.count, format[i] == 58 { colons += 1; i += 1 }
            guard i < format.count else { out += format[start...]; break }
            let conversion = format[i]
            i += 1
            /// A number: default width and padding, overridable by the flags.
            func number(_ v: Int64, _ w: Int, _ defaultPad: UInt8 = 48) -> [UInt8] {
                let digits = Array(String(v < 0 ? -v : v).utf8)
                let p = pad ?? defaultPad
                let total = noPad ? 0 : (width ?? w)
                var r: [UInt8] = v < 0 ? [45] : []
                if digits.count + r.count < total {
                    if p == 48 { r += [UInt8](repeating: 48, count: total - digits.count - r.count) }
                    else { r = [UInt8](repeating: 32, count: total - digits.count - r.count) + r }
                }
                return r + digits
            }
            func text(_ s: String) -> [UInt8] {
                var t = Array(s.utf8)
                if upper { t = t.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 } }
                if let width, !noPad, t.count < width { t = [UInt8](repeating: pad == 48 ? 48 : 32, count: width - t.count) + t }
                return t
            }
            switch conversion {
            case 97: out += text(String(dayNames[c.weekday].prefix(3)))               // %a
            case 65: out += text(dayNames[c.weekday])                                  // %A
            case 98, 104: out += text(String(monthNames[c.month - 1].prefix(3)))      // %b %h
            case 66: out += text(monthNames[c.month - 1])                              // %B
            case 99: out += text(String(decoding: DateTool.format(Array("%a %b %e %H:%M:%S %Y".utf8), seconds: seconds, nanoseconds: 0), as: UTF8.self))
            case 67: out += number(c.year / 100, 2)                                    // %C
            case 100: out += number(Int64(c.day), 2)                                   // %d
            case 68: out += text(String(decoding: DateTool.format(Array("%m/%d/%y".utf8), seconds: seconds, nanoseconds: 0), as: UTF8.self))
            case 101: out += number(Int64(c.day), 2, 32)                               // %e
            case 70: out += text(String(decoding: number(c.year, 4) + DateTool.format(Array("-%m-%d".utf8), seconds: seconds, nanoseconds: 0), as: UTF8.self))
            case 71: out += number(isoWeek(c).0, 1)                                    // %G
            case 103: out += number(isoWeek(c).0 % 100, 2)                             // %g
            case 72: out += number(Int64(c.hour), 2)                                   // %H
            case 73: out += number(Int64((c.hour + 11) % 12 + 1), 2)                   // %I
            case 106: out += number(Int64(c.yearDay + 1), 3)                           // %j
            case 107: out += number(Int64(c.hour), 2, 32)                              // %k
            case 108: out += number(Int64((c.hour + 11) % 12 + 1), 2, 32)              // %l
            case 109: out += number(Int64(c.month), 2)                                 // %m
            case 77: out += number(Int64(c.minute), 2)                                 // %M
            case 110: out.append(10)                                                   // %n
            case 78:                                                                   // %N
                var digits = Array(String(nanoseconds).utf8)
                digits = [UInt8](repeating: 48, count: 9 - digits.count) + digits
                out += digits.prefix(width ?? 9)
            case 112: out += text(c.hour < 12 ? "AM" : "PM")                           // %p
            case 80: out += text(c.hour < 12 ? "am" : "pm")                            // %P
            case 114: out += text(String(decoding: DateTool.format(Array("%I:%M:%S %p".utf8), seconds: seconds, nanoseconds: 0), as: UTF8.self))
            case 82: out += text(String(decoding: DateTool.format(Array("%H:%M".utf8), seconds: seconds, nanoseconds: 0), as: UTF8.self))
            case 115: out += number(seconds, 1)                                        // %s
            case 83: out += number(Int64(c.second), 2)                                 // %S
            case 116: out.append(9)                                                    // %t
            case 84: out += text(String(decoding: DateTool.format(Array("%H:%M:%S".utf8), seconds: seconds, nanoseconds: 0), as: UTF8.self))
            case 117: out += number(Int64((c.weekday + 6) % 7 + 1), 1)                 // %u
            case 85: out += number(Int64((c.yearDay + 7 - c.weekday) / 7), 2)          // %U
            case 86: out += number(Int64(isoWeek(c).1), 2)                             // %V
            case 119: out += number(Int64(c.weekday), 1)                               // %w
            case 87: out += number(Int64((c.yearDay + 7 - (c.weekday + 6) % 7) / 7), 2) // %W
            case 120: out += text(String(decoding: DateTool.format(Array("%m/%d/%y".utf8), seconds: seconds, nanoseconds: 0), as: UTF8.self))
            case 88: out += text(String(decoding: DateTool.format(Array("%H:%M:%S".utf8), seconds: seconds, nanoseconds: 0), as: UTF8.self))
            case 121: out += number(c.year % 100, 2)                                   // %y
            case 89: out += number(c.year, 1)                                          // %Y
            case 122:                                                                  // %z %:z %::z
                out += Array((colons == 0 ? "+0000" : colons == 1 ? "+00:00" : "+00:00:00").utf8)
            case 113: out += number(Int64((c.month - 1) / 3 + 1), 1)                   // %q
            case 90: out += text("UTC")                                                // %Z
            case 37: out.append(37)
            default: out += format[start..<i]
            }
        }
        return out
    }

    /// -d STRING: the forms above; nil when it is not one.
    static func parseDate(_ text: String, now: Int64) -> Int64? { parseTime(text, now: now)?.seconds }

    /// -d STRING with its fraction of a second: "@SECONDS", "now", "" (the start of today),
    /// "YYYY-MM-DD[( |T)HH:MM[:SS[.FRACTION]]]" and "HH:MM[:SS[.FRACTION]]" (today), each
    /// optionally ending in "Z" or " UTC" (the only zone here).
    static func parseTime(_ text: String, now: Int64) -> Timestamp? {
        var s = Array(text.utf8)[...]
        while s.first == 32 { s = s.dropFirst() }
        while s.last == 32 { s = s.dropLast() }
        // GNU's TZ="ZONE" prefix: only the zones that need no database (UTC, GMT, UTC0)
        if s.starts(with: "TZ=\"".utf8) {
            let body = s.dropFirst(4)
            guard let close = body.firstIndex(of: 34), ["UTC", "GMT", "UTC0", "GMT0", "Z"].contains(String(decoding: body[..<close], as: UTF8.self)) else { return nil }
            s = body[(close + 1)...]
            while s.first == 32 { s = s.dropFirst() }
        }
        if s.isEmpty || String(decoding: s, as: UTF8.self) == "now" {
            // GNU: an empty string is the start of today
            if s.isEmpty { return Timestamp(seconds: now - ((now % 86_400) + 86_400) % 86_400, nanoseconds: 0) }
            return Timestamp(seconds: now, nanoseconds: 0)
        }
        func digits(_ part: ArraySlice<UInt8>) -> Int64? {
            guard !part.isEmpty, part.count <= 18, part.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            var v: Int64 = 0
            for d in part { v = v * 10 + Int64(d - 48) }
            return v
        }
        if s.first == 64 {
            var body = s.dropFirst()
            var negative = false
            if body.first == 45 { negative = true; body = body.dropFirst() } else if body.first == 43 { body = body.dropFirst() }
            guard let v = digits(body) else { return nil }
            return Timestamp(seconds: negative ? -v : v, nanoseconds: 0)
        }
        // the zone: "Z" or "UTC" at the end
        if s.last == UInt8(ascii: "Z") { s = s.dropLast() } else if s.count > 3 && String(decoding: s.suffix(3), as: UTF8.self) == "UTC" {
            s = s.dropLast(3)
        }
        while s.last == 32 { s = s.dropLast() }
        // or a numeric offset after the time of day: "+8", "+08", "+0800", "+08:00" (east of UTC)
        var offset: Int64 = 0
        if let timeStart = s.firstIndex(where: { $0 == 84 || $0 == 32 || $0 == 58 }),
           let sign = s.lastIndex(where: { $0 == 43 || $0 == 45 }), sign > timeStart, s[timeStart..<sign].contains(58) {
            let body = s[(sign + 1)...]
            let parts = body.split(separator: 58, omittingEmptySubsequences: false)
            var hours: Int64? = nil, minutes: Int64 = 0
            if parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let h = digits(parts[0]), let m = digits(parts[1]) {
                hours = h; minutes = m
            } else if parts.count == 1, let v = digits(body) {
                if body.count <= 2 { hours = v } else if body.count <= 4 { hours = v / 100; minutes = v % 100 }
            }
            guard let hours, hours <= 24, minutes < 60 else { return nil }
            offset = (hours * 3600 + minutes * 60) * (s[sign] == 45 ? -1 : 1)
            s = s[..<sign]
            while s.last == 32 { s = s.dropLast() }
        }
        /// HH:MM[:SS[.FRACTION]] as seconds into the day and nanoseconds.
        func timeOfDay(_ part: ArraySlice<UInt8>) -> (Int64, Int64)? {
            var part = part
            while part.first == 32 { part = part.dropFirst() }
            let hms = part.split(separator: 58, omittingEmptySubsequences: false)
            guard hms.count == 2 || hms.count == 3, let h = digits(hms[0]), let mi = digits(hms[1]), h < 24, mi < 60 else { return nil }
            var sec: Int64 = 0, nanoseconds: Int64 = 0
            if hms.count == 3 {
                let pieces = hms[2].split(separator: 46, maxSplits: 1, omittingEmptySubsequences: false)
                guard let v = digits(pieces[0]), v < 60 else { return nil }
                sec = v
                if pieces.count == 2 {
                    guard pieces[1].allSatisfy({ $0 >= 48 && $0 <= 57 }), !pieces[1].isEmpty else { return nil }
                    var scale: Int64 = 100_000_000
                    for d in pieces[1].prefix(9) { nanoseconds += Int64(d - 48) * scale; scale /= 10 }
                }
            }
            return (h * 3600 + mi * 60 + sec, nanoseconds)
        }
        if !s.contains(45), let (time, nanoseconds) = timeOfDay(s) {
            return Timestamp(seconds: now - ((now % 86_400) + 86_400) % 86_400 + time - offset, nanoseconds: nanoseconds)
        }
        // YYYY-MM-DD[( |T)HH:MM[:SS[.FRACTION]]]
        let split = s.firstIndex { $0 == 32 || $0 == 84 }
        let datePart = s[..<(split ?? s.endIndex)]
        let fields = datePart.split(separator: 45, omittingEmptySubsequences: false)
        guard fields.count == 3, let y = digits(fields[0]), let m = digits(fields[1]), let d = digits(fields[2]),
              m >= 1 && m <= 12, d >= 1 else { return nil }
        let monthDays: [Int64] = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard d <= monthDays[Int(m - 1)] else { return nil }
        var seconds = days(year: y, month: Int(m), day: Int(d)) * 86_400
        var nanoseconds: Int64 = 0
        if let split {
            guard let (time, ns) = timeOfDay(s[(split + 1)...]) else { return nil }
            seconds += time
            nanoseconds = ns
        }
        return Timestamp(seconds: seconds - offset, nanoseconds: nanoseconds)
    }

    /// -I[FMT] / --iso-8601[=FMT]: the ISO 8601 form for date (the default), hours, minutes,
    /// seconds or ns; nil for another word.
    static func isoFormat(_ precision: String) -> String? {
        switch precision {
        case "", "date": return "%Y-%m-%d"
        case "hours": return "%Y-%m-%dT%H%:z"
        case "minutes": return "%Y-%m-%dT%H:%M%:z"
        case "seconds": return "%Y-%m-%dT%H:%M:%S%:z"
        case "ns": return "%Y-%m-%dT%H:%M:%S,%N%:z"
        default:
            // GNU takes any prefix of the words ("-Id", "-Im")
            let words = ["date", "hours", "minutes", "seconds", "ns"].filter { $0.hasPrefix(precision) }
            return words.count == 1 ? isoFormat(words[0]) : nil
        }
    }

    public static func run<IO: TreeIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "date")
        // -I takes its argument attached or none (-I, -Id, -Iseconds): as --iso-8601[=FMT]
        let arguments = arguments.map { $0.hasPrefix("-I") ? "--iso-8601=" + String($0.dropFirst(2)) : $0 }
        guard let parsed = console.options(arguments, specs) else { return 1 }
        var format = Array("%a %b %e %H:%M:%S %Z %Y".utf8)
        if parsed.has("rfc-email") { format = Array("%a, %d %b %Y %H:%M:%S %z".utf8) }
        if let precision = parsed.last("iso-8601") {
            guard let iso = isoFormat(precision) else {
                console.usage("invalid argument " + quoted(precision) + " for '--iso-8601'")
                return 1
            }
            if parsed.has("rfc-email") { console.error("multiple output formats specified"); return 1 }
            format = Array(iso.utf8)
        }
        var operands = parsed.operands
        if let first = operands.first, first.hasPrefix("+") {
            if parsed.has("rfc-email") || parsed.has("iso-8601") { console.error("multiple output formats specified"); return 1 }
            format = Array(first.utf8.dropFirst())
            operands.removeFirst()
        }
        if let extra = operands.first {
            if operands.count == parsed.operands.count && !parsed.has("date") && !parsed.has("reference") {
                // MMDDhhmm[[CC]YY][.ss] would set the clock: not allowed here
                console.error("cannot set date: Operation not permitted"); return 1
            }
            console.usage("extra operand " + quoted(extra)); return 1
        }
        if parsed.has("date") && parsed.has("reference") { console.usage("the options to specify dates for printing are mutually exclusive"); return 1 }
        let now = io.currentTime()
        var seconds = now
        var nanoseconds: Int64 = 0
        if let d = parsed.last("date") {
            guard let v = parseTime(d, now: now) else { console.error("invalid date " + quoted(d)); return 1 }
            seconds = v.seconds
            nanoseconds = v.nanoseconds
        }
        if let r = parsed.last("reference") {
            switch io.info(r, followLinks: true) {
            case .failure(let e): console.error(r, e); return 1
            case .success(let info): seconds = info.modified; nanoseconds = info.modifiedNanoseconds
            }
        }
        console.put(DateTool.format(format, seconds: seconds, nanoseconds: nanoseconds))
        console.put(10)
        return console.finish()
    }
}
