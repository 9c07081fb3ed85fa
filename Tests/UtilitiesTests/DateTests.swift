// DateTests.swift — date against GNU coreutils on fixed instants (-d @N and calendar forms) so the
// output is deterministic: every conversion and flag, around leap days, year ends (ISO weeks),
// negative times; errors. The host's zone is UTC (Case.runGNU passes no TZ), as the guest's is.
import Foundation
import Testing
import Utilities

let dateInstants = ["@0", "@1", "@-1", "@86399", "@951782400", "@1704067199", "@1704067200", "@1735603200", "@1609459200",
                    "@1230768000", "@4102444799", "@-2208988800", "@1000000000", "@1234567890", "@2000000000", "@1709251199",
                    "2024-02-29", "2023-12-31 23:59:59", "2021-01-03 00:00", "1999-12-31T12:00:00", "2026-12-07 04:05:06"]
let dateFormats = ["+%a %A %b %B %h", "+%c", "+%C %y %Y %G %g", "+%d %e %j %m", "+%D %F %x %X %T %R %r", "+%H %I %k %l %M %S %p %P",
                   "+%s %N %3N", "+%u %w %U %W %V", "+%z %:z %::z %Z", "+%n%t%%", "+%-d %-m %_H %05Y %^a %^B %10A %-j", "+%q %Q x",
                   "+literal only", "+", "+%"]

let dateCases: [Case] = dateInstants.flatMap { d in dateFormats.map { Case(tool: "date", arguments: ["-u", "-d", d, $0], stdin: nil) } }
    + dateInstants.map { Case(tool: "date", arguments: ["-d", $0], stdin: nil) }
    + dateInstants.map { Case(tool: "date", arguments: ["-R", "-d", $0], stdin: nil) } + [
    c("date", "-d", "garbage"), c("date", "-d", "2024-02-30"), c("date", "-d", "2024-13-01"), c("date", "-d", "2024-01-01 25:00"),
    c("date", "-d", "@x"), c("date", "-u", "-d", "@0", "+%Y", "extra"), c("date", "-x"), c("date", "-d", "@0", "-r", "lines"),
    c("date", "-r", "missing"), c("date", "-R", "-d", "@0", "+%Y"), c("date", "--utc", "--date=@86400", "+%F"),
    c("date", "--date", "@86400", "--universal"),
    // fractions of a second, a "Z"/"UTC" zone; -I[FMT] (GNU's --iso-8601)
    c("date", "-u", "-d", "2012-01-23T12:34:56.123456789Z", "+%s.%N"), c("date", "-u", "-d", "2009-02-13 23:31:30Z", "+%s"),
    c("date", "-u", "-d", "2009-02-13 23:31:30 UTC", "+%s"), c("date", "-u", "-d", "2012-01-23 12:34:56.5", "+%T.%N"),
c("date", "-u", "-d", "@0", "-I"), c("date", "-u", "-d", "@1234567890", "-Id"),
    c("date", "-u", "-d", "@1234567890", "-Ih"), c("date", "-u", "-d", "@1234567890", "-Im"), c("date", "-u", "-d", "@1234567890", "-Is"),
    c("date", "-u", "-d", "2012-01-23T12:34:56.123456789Z", "-In"), c("date", "-u", "-d", "@0", "--iso-8601=seconds"),
    c("date", "-u", "-d", "@0", "-Ibogus"), c("date", "-u", "-d", "@0", "-I", "+%s"), c("date", "-u", "-d", "@0", "-I", "-R"),
]

@Suite struct DateDifferentialTests {
    @Test(arguments: dateCases) func date(_ t: Case) throws { try compareWithGNU(t) }

    /// A time of day alone is today's: compared with GNU's on its hours and minutes (the day
    /// itself could turn between the two runs).
    @Test(arguments: ["12:34", "12:34:56", "00:00:01.5", "23:59Z"]) func timeOfDay(_ time: String) throws {
        let t = Case(tool: "date", arguments: ["-u", "-d", time, "+%H:%M:%S.%N"], stdin: nil)
        let gnu = try t.runGNU(), ours = t.runOurs()
        #expect(ours.stdout == gnu.stdout && ours.status == gnu.status, "GNU: \(gnu.summary)\n  ours: \(ours.summary)")
    }

    /// Without -d the clock is read: ours and GNU's agree to within the seconds the two runs take.
    @Test func now() throws {
        let gnu = try Case(tool: "date", arguments: ["+%s"], stdin: nil).runGNU()
        let ours = Case(tool: "date", arguments: ["+%s"], stdin: nil).runOurs()
        let a = Int(String(decoding: gnu.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let b = Int(String(decoding: ours.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -100
        #expect(abs(a - b) <= 5 && a > 1_700_000_000)
    }

    /// -r: the reference file's modification time.
    @Test func reference() throws { try compareWithGNU(c("date", "-u", "-r", "lines", "+%s")) }
}
