// CMOSClock.swift — the PC's real-time clock as the guest reads it: the MC146818 CMOS registers
// behind ports 0x70 (index) and 0x71 (data), reporting the host's wall-clock time in UTC, in
// binary and 24-hour mode (status register B = 0x06; a guest must honour register B, as QEMU's
// RTC answers in BCD). Read only: writes to the time registers are ignored (the guest cannot set
// the host's clock). Registers per the MC146818A datasheet, "Address Map".
public struct CMOSClock {
    public static let indexPort: UInt16 = 0x70
    public static let dataPort: UInt16 = 0x71

    /// The selected register (bit 7 of the index write is the NMI mask: ignored).
    public private(set) var index: UInt8 = 0
    /// Seconds since 1970-01-01 00:00:00 UTC, asked when the guest reads a time register.
    let now: () -> Int64

    public init(now: @escaping () -> Int64) { self.now = now }

    public mutating func writeIndex(_ value: UInt8) { index = value & 0x7f }

    /// The value of the selected register.
    public func readData() -> UInt8 {
        switch index {
        case 0x0a: return 0x26              // status A: no update in progress (bit 7 clear), 32.768 kHz base
        case 0x0b: return 0x06              // status B: binary (bit 2), 24-hour (bit 1)
        case 0x0c: return 0x00              // status C: no interrupt flags
        case 0x0d: return 0x80              // status D: the battery is good (valid RAM and time)
        case 0x00, 0x02, 0x04, 0x06, 0x07, 0x08, 0x09, 0x32:
            let t = CMOSClock.civil(now())
            switch index {
            case 0x00: return UInt8(t.second)
            case 0x02: return UInt8(t.minute)
            case 0x04: return UInt8(t.hour)
            case 0x06: return UInt8(t.weekday)
            case 0x07: return UInt8(t.day)
            case 0x08: return UInt8(t.month)
            case 0x09: return UInt8(t.year % 100)
            default: return UInt8(t.year / 100)   // 0x32: the century (the ACPI FADT's default register)
            }
        default: return 0
        }
    }

    public struct CivilTime: Equatable, Sendable {
        public var year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64
        /// 1 = Sunday … 7 = Saturday (the MC146818's day of week).
        public var weekday: Int64

        public init(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64, weekday: Int64) {
            (self.year, self.month, self.day, self.hour, self.minute, self.second, self.weekday) =
                (year, month, day, hour, minute, second, weekday)
        }
    }

    /// UTC calendar fields of a Unix time (the proleptic Gregorian calendar; days counted from
    /// 0000-03-01 so that leap days fall at the end of each 400-year era).
    public static func civil(_ seconds: Int64) -> CivilTime {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = ((days % 7) + 7 + 4) % 7 + 1     // 1970-01-01 was a Thursday (5)
        return CivilTime(year: year, month: month, day: day, hour: secondOfDay / 3600,
                         minute: secondOfDay / 60 % 60, second: secondOfDay % 60, weekday: weekday)
    }
}
