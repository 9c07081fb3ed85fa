// RTC.swift — the wall-clock time at boot from the PC's CMOS real-time clock (MC146818 registers
// behind ports 0x70/0x71: swiftvm's emulation, or QEMU's RTC). Register B says whether values are
// BCD (bit 2 clear) and 12-hour (bit 1 clear, PM in bit 7 of the hour); the time is read twice
// until two reads agree, outside an update (register A bit 7), as the datasheet advises.
import Arch
import KernelCore

public enum RTC {
    static func register(_ index: UInt8) -> UInt8 {
        sv_outb(0x70, index)
        return sv_inb(0x71)
    }

    /// Seconds since the Unix epoch (UTC), or nil if no sane clock answers.
    public static func unixSeconds() -> Int64? {
        var previous: [UInt8] = []
        for _ in 0..<8 {
            var spins = 0
            while register(0x0a) & 0x80 != 0 && spins < 100_000 { spins += 1 }
            let raw = [register(0x00), register(0x02), register(0x04), register(0x07), register(0x08), register(0x09), register(0x32)]
            if raw == previous { return convert(raw, statusB: register(0x0b)) }
            previous = raw
        }
        return nil
    }

    static func convert(_ raw: [UInt8], statusB: UInt8) -> Int64? {
        let binary = statusB & 0x04 != 0, twentyFourHour = statusB & 0x02 != 0
        func value(_ v: UInt8) -> Int64 { Int64(binary ? v : Calendar.fromBCD(v)) }
        var hour = value(raw[2] & 0x7f)
        if !twentyFourHour {
            hour %= 12
            if raw[2] & 0x80 != 0 { hour += 12 }
        }
        let century = raw[6] == 0 || raw[6] == 0xff ? 20 : value(raw[6])
        return Calendar.unixSeconds(year: century * 100 + value(raw[5]), month: value(raw[4]), day: value(raw[3]),
                                    hour: hour, minute: value(raw[1]), second: value(raw[0]))
    }
}
