// CalendarTime.swift — the C library's time.h calendar functions in Swift: gmtime, timegm/mktime
// (with C11 7.27.2.3's normalization of out-of-range fields) and strftime (7.27.3.5, "C" locale).
// TimeFunctions.swift applies them to struct tm, whose first nine fields are the array used here. The
// guest's time zone is UTC: localtime is gmtime, mktime is timegm (README "C library").

/// struct tm's fields in declaration order (tm_sec … tm_isdst), as C passes them.
let fieldCount = 9
enum Field { static let second = 0, minute = 1, hour = 2, day = 3, month = 4, year = 5, weekday = 6, yearDay = 7, dst = 8 }

/// Days from 1970-01-01 to year-month-day of the proleptic Gregorian calendar (month 1…12), for any
/// year: Howard Hinnant's days_from_civil (eras of 400 years, 146 097 days each).
func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

/// The inverse: (year, month 1…12, day 1…31) of a day count from 1970-01-01.
func civilFromDays(_ z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
}

func isLeap(_ y: Int64) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

/// Splits floor division: (quotient, remainder in 0..<divisor).
func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
    var q = a / b, r = a % b
    if r < 0 { q -= 1; r += b }
    return (q, r)
}

/// gmtime: the broken-down UTC time of `t` into fields; 0, or -1 if the year does not fit an int
/// (C11 7.27.3.3: a null pointer, errno EOVERFLOW).
@_cdecl("sv_gmtime")
public func svGmtime(_ t: Int64, _ fields: UnsafeMutablePointer<Int32>) -> Int32 {
    let (days, secs) = floorDivide(t, 86_400)
    let (y, m, d) = civilFromDays(days)
    let year = y - 1900
    guard year >= Int64(Int32.min), year <= Int64(Int32.max) else { return -1 }
    fields[Field.second] = Int32(secs % 60)
    fields[Field.minute] = Int32(secs / 60 % 60)
    fields[Field.hour] = Int32(secs / 3600)
    fields[Field.day] = Int32(d)
    fields[Field.month] = Int32(m - 1)
    fields[Field.year] = Int32(year)
    fields[Field.weekday] = Int32(floorDivide(days + 4, 7).1)   // 1970-01-01 was a Thursday
    fields[Field.yearDay] = Int32(days - daysFromCivil(y, 1, 1))
    fields[Field.dst] = 0
    return 0
}

/// timegm / mktime in UTC: the time of the (possibly out-of-range) fields, which are normalized in
/// place (C11 7.27.2.3p2: tm_wday and tm_yday are ignored and recomputed); the time, with `ok` 0
/// if it does not fit (mktime returns (time_t)-1).
@_cdecl("sv_timegm")
public func svTimegm(_ fields: UnsafeMutablePointer<Int32>, _ ok: UnsafeMutablePointer<Int32>) -> Int64 {
    let (carryYears, month) = floorDivide(Int64(fields[Field.month]), 12)
    let year = Int64(fields[Field.year]) + 1900 + carryYears
    let days = daysFromCivil(year, month + 1, 1) + Int64(fields[Field.day]) - 1
    // Each term is at most about 2^31 · 86400: no overflow in Int64.
    let t = days * 86_400 + Int64(fields[Field.hour]) * 3600 + Int64(fields[Field.minute]) * 60
        + Int64(fields[Field.second])
    ok.pointee = svGmtime(t, fields) == 0 ? 1 : 0
    return t
}

/// strftime (C11 7.27.3.5, the "C" locale, plus POSIX's %C %e %G %g %h %n %r %R %t %T %u %V %s %P):
/// the bytes written without the NUL, or 0 if they do not fit in `capacity` (then the contents
/// are indeterminate, as C allows).
@_cdecl("sv_strftime")
public func svStrftime(_ out: UnsafeMutablePointer<UInt8>, _ capacity: Int, _ format: UnsafePointer<UInt8>,
                       _ fields: UnsafePointer<Int32>) -> Int {
    var text: [UInt8] = []
    formatTime(format, fields, into: &text)
    guard text.count < capacity else { return 0 }
    for (i, b) in text.enumerated() { out[i] = b }
    out[text.count] = 0
    return text.count
}

let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"]

func append(_ s: String, to text: inout [UInt8]) { text.append(contentsOf: s.utf8) }

/// `v` in decimal, at least `width` digits padded with `pad` (a '-' first when negative).
func appendNumber(_ v: Int64, width: Int, pad: UInt8 = UInt8(ascii: "0"), to text: inout [UInt8]) {
    var digits: [UInt8] = []
    var m = v.magnitude
    repeat { digits.append(UInt8(ascii: "0") + UInt8(m % 10)); m /= 10 } while m > 0
    if v < 0 { text.append(UInt8(ascii: "-")) }
    for _ in 0..<max(0, width - digits.count - (v < 0 ? 1 : 0)) { text.append(pad) }
    text.append(contentsOf: digits.reversed())
}

/// ISO 8601 week-based year and week (%G %g %V): weeks start on Monday, week 1 has the year's
/// first Thursday.
func isoWeek(year: Int64, yearDay: Int64, weekday: Int64) -> (year: Int64, week: Int64) {
    let mondayBased = (weekday + 6) % 7                      // 0 = Monday
    let week = (yearDay - mondayBased + 10) / 7             // the Thursday of this week's ordinal / 7
    if week < 1 {
        let previous = year - 1
        let days: Int64 = isLeap(previous) ? 366 : 365
        return isoWeek(year: previous, yearDay: yearDay + days, weekday: weekday)
    }
    let days: Int64 = isLeap(year) ? 366 : 365
    if week == 53 && yearDay - mondayBased + 3 >= days { return (year + 1, 1) }
    return (year, week)
}

func formatTime(_ format: UnsafePointer<UInt8>, _ f: UnsafePointer<Int32>, into text: inout [UInt8]) {
    let sec = Int64(f[Field.second]), min = Int64(f[Field.minute]), hour = Int64(f[Field.hour])
    let mday = Int64(f[Field.day]), mon = Int64(f[Field.month]), year = Int64(f[Field.year]) + 1900
    let wday = Int64(f[Field.weekday]), yday = Int64(f[Field.yearDay])
    func name(_ names: [String], _ i: Int64) -> String { i >= 0 && i < Int64(names.count) ? names[Int(i)] : "?" }
    var i = 0
    while format[i] != 0 {
        let c = format[i]
        i += 1
        if c != UInt8(ascii: "%") { text.append(c); continue }
        var conversion = format[i]
        if conversion == 0 { text.append(c); break }
        i += 1
        // C11 7.27.3.5p4: the E and O modifiers select the locale's alternatives: none in "C".
        if (conversion == UInt8(ascii: "E") || conversion == UInt8(ascii: "O")) && format[i] != 0 {
            conversion = format[i]; i += 1
        }
        switch conversion {
        case UInt8(ascii: "a"): append(String(name(weekdayNames, wday).prefix(3)), to: &text)
        case UInt8(ascii: "A"): append(name(weekdayNames, wday), to: &text)
        case UInt8(ascii: "b"), UInt8(ascii: "h"): append(String(name(monthNames, mon).prefix(3)), to: &text)
        case UInt8(ascii: "B"): append(name(monthNames, mon), to: &text)
        case UInt8(ascii: "c"):   // "%a %b %e %H:%M:%S %Y"
            append(String(name(weekdayNames, wday).prefix(3)) + " " + String(name(monthNames, mon).prefix(3)) + " ", to: &text)
            appendNumber(mday, width: 2, pad: UInt8(ascii: " "), to: &text); text.append(UInt8(ascii: " "))
            appendNumber(hour, width: 2, to: &text); text.append(UInt8(ascii: ":"))
            appendNumber(min, width: 2, to: &text); text.append(UInt8(ascii: ":"))
            appendNumber(sec, width: 2, to: &text); text.append(UInt8(ascii: " "))
            appendNumber(year, width: 0, to: &text)
        // glibc: the century unpadded ("5" in the year 524; POSIX shows [00,99] but glibc is the reference)
        case UInt8(ascii: "C"): appendNumber(floorDivide(year, 100).0, width: 1, to: &text)
        case UInt8(ascii: "d"): appendNumber(mday, width: 2, to: &text)
        case UInt8(ascii: "D"), UInt8(ascii: "x"):   // %m/%d/%y
            appendNumber(mon + 1, width: 2, to: &text); text.append(UInt8(ascii: "/"))
            appendNumber(mday, width: 2, to: &text); text.append(UInt8(ascii: "/"))
            appendNumber(floorDivide(year, 100).1, width: 2, to: &text)
        case UInt8(ascii: "e"): appendNumber(mday, width: 2, pad: UInt8(ascii: " "), to: &text)
        case UInt8(ascii: "F"):   // %Y-%m-%d
            appendNumber(year, width: 0, to: &text); text.append(UInt8(ascii: "-"))
            appendNumber(mon + 1, width: 2, to: &text); text.append(UInt8(ascii: "-"))
            appendNumber(mday, width: 2, to: &text)
        case UInt8(ascii: "G"): appendNumber(isoWeek(year: year, yearDay: yday, weekday: wday).year, width: 0, to: &text)
        case UInt8(ascii: "g"): appendNumber(floorDivide(isoWeek(year: year, yearDay: yday, weekday: wday).year, 100).1, width: 2, to: &text)
        case UInt8(ascii: "H"): appendNumber(hour, width: 2, to: &text)
        case UInt8(ascii: "I"): appendNumber(hour % 12 == 0 ? 12 : hour % 12, width: 2, to: &text)
        case UInt8(ascii: "j"): appendNumber(yday + 1, width: 3, to: &text)
        case UInt8(ascii: "m"): appendNumber(mon + 1, width: 2, to: &text)
        case UInt8(ascii: "M"): appendNumber(min, width: 2, to: &text)
        case UInt8(ascii: "n"): text.append(UInt8(ascii: "\n"))
        case UInt8(ascii: "p"): append(hour < 12 ? "AM" : "PM", to: &text)
        case UInt8(ascii: "P"): append(hour < 12 ? "am" : "pm", to: &text)
        case UInt8(ascii: "r"):   // %I:%M:%S %p
            appendNumber(hour % 12 == 0 ? 12 : hour % 12, width: 2, to: &text); text.append(UInt8(ascii: ":"))
            appendNumber(min, width: 2, to: &text); text.append(UInt8(ascii: ":"))
            appendNumber(sec, width: 2, to: &text); append(hour < 12 ? " AM" : " PM", to: &text)
        case UInt8(ascii: "R"):
            appendNumber(hour, width: 2, to: &text); text.append(UInt8(ascii: ":")); appendNumber(min, width: 2, to: &text)
        case UInt8(ascii: "s"):
            var copy = [Int32](repeating: 0, count: fieldCount)
            for k in 0..<fieldCount { copy[k] = f[k] }
            var ok: Int32 = 0
            let t = copy.withUnsafeMutableBufferPointer { svTimegm($0.baseAddress!, &ok) }
            appendNumber(t, width: 0, to: &text)
        case UInt8(ascii: "S"): appendNumber(sec, width: 2, to: &text)
        case UInt8(ascii: "t"): text.append(UInt8(ascii: "\t"))
        case UInt8(ascii: "T"), UInt8(ascii: "X"):
            appendNumber(hour, width: 2, to: &text); text.append(UInt8(ascii: ":"))
            appendNumber(min, width: 2, to: &text); text.append(UInt8(ascii: ":"))
            appendNumber(sec, width: 2, to: &text)
        case UInt8(ascii: "u"): appendNumber(wday == 0 ? 7 : wday, width: 1, to: &text)
        case UInt8(ascii: "U"): appendNumber((yday + 7 - wday) / 7, width: 2, to: &text)
        case UInt8(ascii: "V"): appendNumber(isoWeek(year: year, yearDay: yday, weekday: wday).week, width: 2, to: &text)
        case UInt8(ascii: "w"): appendNumber(wday, width: 1, to: &text)
        case UInt8(ascii: "W"): appendNumber((yday + 7 - (wday + 6) % 7) / 7, width: 2, to: &text)
        case UInt8(ascii: "y"): appendNumber(floorDivide(year, 100).1, width: 2, to: &text)
        case UInt8(ascii: "Y"): appendNumber(year, width: 0, to: &text)
        case UInt8(ascii: "z"): append("+0000", to: &text)
        case UInt8(ascii: "Z"): append("GMT", to: &text)
        case UInt8(ascii: "%"): text.append(UInt8(ascii: "%"))
        default:   // glibc prints an unknown conversion as it stands
            text.append(c); text.append(conversion)
        }
    }
}
