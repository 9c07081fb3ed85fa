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
]

@Suite struct DateDifferentialTests {
    @Test(arguments: dateCases) func date(_ t: Case) throws { try compareWithGNU(t) }

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
