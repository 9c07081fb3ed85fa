// CMOSClockTests.swift — the emulated RTC: calendar conversion against known dates (and Glibc's
// gmtime over many times), and the register interface a guest reads.
import Devices
import Glibc
import Testing

@Test(arguments: [
    (Int64(0), CMOSClock.CivilTime(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, weekday: 5)),
    (Int64(951_782_400), CMOSClock.CivilTime(year: 2000, month: 2, day: 29, hour: 0, minute: 0, second: 0, weekday: 3)),
    (Int64(1_796_601_599), CMOSClock.CivilTime(year: 2026, month: 12, day: 6, hour: 23, minute: 59, second: 59, weekday: 1)),
    (Int64(4_107_542_400), CMOSClock.CivilTime(year: 2100, month: 3, day: 1, hour: 0, minute: 0, second: 0, weekday: 2)),
])
func civilTimeOfKnownDates(seconds: Int64, expected: CMOSClock.CivilTime) {
    #expect(CMOSClock.civil(seconds) == expected)
}

@Test func civilTimeAgreesWithGmtime() {
    var t: Int64 = -2_000_000_000
    while t < 8_000_000_000 {
        var tt = time_t(t)
        var tm = Glibc.tm()
        gmtime_r(&tt, &tm)
        let c = CMOSClock.civil(t)
        #expect(c.year == Int64(tm.tm_year) + 1900 && c.month == Int64(tm.tm_mon) + 1 && c.day == Int64(tm.tm_mday), "\(t)")
        #expect(c.hour == Int64(tm.tm_hour) && c.minute == Int64(tm.tm_min) && c.second == Int64(tm.tm_sec) && c.weekday == Int64(tm.tm_wday) + 1)
        t += 7_919_993   // a prime step: every hour, weekday and month gets visited
    }
}

@Test func theGuestReadsTheTimeRegisters() {
    var rtc = CMOSClock(now: { 1_796_601_599 })   // 2026-12-06 23:59:59 UTC, a Sunday
    func read(_ register: UInt8) -> UInt8 {
        rtc.writeIndex(register | 0x80)   // NMI-disable bit set, as guests often do
        return rtc.readData()
    }
    #expect(read(0x0b) == 0x06, "binary, 24-hour")
    #expect(read(0x0a) & 0x80 == 0, "no update in progress")
    #expect([read(0x00), read(0x02), read(0x04)] == [59, 59, 23])
    #expect([read(0x07), read(0x08), read(0x09), read(0x32), read(0x06)] == [6, 12, 26, 20, 1])
    #expect(read(0x0d) == 0x80)
    #expect(read(0x40) == 0, "other CMOS bytes read as zero")
}
