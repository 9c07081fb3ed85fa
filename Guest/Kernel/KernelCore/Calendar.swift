// Calendar.swift — UTC calendar fields to Unix time (the proleptic Gregorian calendar, days
// counted from 0000-03-01 so leap days end each 400-year era): what the kernel computes from the
// real-time clock's registers at boot.

public enum Calendar {
    /// Seconds since 1970-01-01 00:00:00 UTC; nil for fields out of range.
    public static func unixSeconds(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) -> Int64? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
              (0...60).contains(second), (0...9999).contains(year) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// A BCD byte (as RTCs report by default) in binary.
    public static func fromBCD(_ v: UInt8) -> UInt8 { (v >> 4) * 10 + (v & 0x0f) }
}
