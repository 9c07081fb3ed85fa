// Touch.swift — touch [-acm] [-d STRING | -r FILE | -t STAMP] FILE… (POSIX.1-2017 "touch"; GNU
// coreutils 9's messages): makes each FILE exist (not with -c) and sets its times — now, or the
// time -d gives (DateTool's forms: "YYYY-MM-DD[ HH:MM[:SS]]", "@SECONDS", "now"), -r (another
// file's times) or -t ([[CC]YY]MMDDhhmm[.SS]). Times are UTC: the guest has no zone
// database (the host tests run GNU's touch with TZ=UTC). -a and -m choose which of the access and
// modification times change (both when neither is given); the guest's file system keeps only the
// modification time, so there -a alone changes nothing.

/// What touch needs of a system beyond SystemIO: setting a file's times (utimensat).
public protocol TimeIO: SystemIO {
    /// Sets `path`'s access and modification times (nil: left as they are).
    func setTimes(_ path: String, accessed: Timestamp?, modified: Timestamp?) -> Result<Void, SystemError>
    /// Creates `path` empty if it does not exist, as open(O_WRONLY | O_CREAT, 0666) does under
    /// the process's umask.
    func createFile(_ path: String) -> Result<Void, SystemError>
}

public enum Touch {
    static let specs = [
        OptionSpec("a", nil, key: "access"), OptionSpec("m", nil, key: "modification"),
        OptionSpec("c", "no-create"), OptionSpec("d", "date", argument: true),
        OptionSpec("r", "reference", argument: true), OptionSpec("t", nil, argument: true, key: "stamp"),
        OptionSpec("f", nil, key: "ignored"),
    ]

    public static func run<IO: TimeIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "touch")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        let now = Timestamp(seconds: io.currentTime(), nanoseconds: 0)
        // The new access and modification times (-r gives both of its file's).
        var time = (accessed: now, modified: now)
        // -r with -d: GNU takes -d relative to the file's time; an absolute -d wins either way.
        if parsed.has("stamp") && (parsed.has("date") || parsed.has("reference")) {
            console.usage("cannot specify times from more than one source")
            return 1
        }
        if let text = parsed.last("date") {
            guard let stamp = DateTool.parseTime(text, now: now.seconds) else {
                console.error("invalid date format " + quoted(text))
                return 1
            }
            time = (stamp, stamp)
        } else if let reference = parsed.last("reference") {
            switch io.fullStatus(reference, followLinks: true) {
            case .success(let s): time = (s.accessed, s.modified)
            case .failure(let e):
                console.error("failed to get attributes of " + quoted(reference), e)
                return 1
            }
        } else if let stamp = parsed.last("stamp") {
            guard let seconds = parseStamp(stamp, now: now.seconds) else {
                console.error("invalid date format " + quoted(stamp))
                return 1
            }
            time = (Timestamp(seconds: seconds, nanoseconds: 0), Timestamp(seconds: seconds, nanoseconds: 0))
        }
        if parsed.operands.isEmpty {
            console.usage("missing file operand")
            return 1
        }
        // Neither -a nor -m: both times.
        let access = parsed.has("access") || !parsed.has("modification")
        let modification = parsed.has("modification") || !parsed.has("access")
        for path in parsed.operands {
            if case .failure = io.info(path, followLinks: true) {
                if parsed.has("no-create") { continue }
                // GNU opens with O_CREAT (mode 0666 less the umask), so a directory or a missing
                // parent is reported as "cannot touch".
                if case .failure(let e) = io.createFile(path) {
                    console.error("cannot touch " + quoted(path), e)
                    continue
                }
            }
            if case .failure(let e) = io.setTimes(path, accessed: access ? time.accessed : nil, modified: modification ? time.modified : nil) {
                console.error("setting times of " + quoted(path), e)
            }
        }
        return console.finish()
    }

    /// -t [[CC]YY]MMDDhhmm[.SS] (POSIX touch): a two-digit year 69–99 is 19YY, 00–68 20YY; no
    /// year is this year. Seconds since the Epoch, or nil if it is not a valid stamp.
    static func parseStamp(_ text: String, now: Int64) -> Int64? {
        let bytes = Array(text.utf8)
        var main = bytes[...]
        var seconds: Int64 = 0
        if let dot = bytes.firstIndex(of: 46) {
            let fraction = bytes[(dot + 1)...]
            guard fraction.count == 2, let s = number(fraction), s <= 60 else { return nil }
            seconds = s
            main = bytes[..<dot]
        }
        guard [8, 10, 12].contains(main.count), number(main) != nil else { return nil }
        let year: Int64
        switch main.count {
        case 12:
            year = number(main.prefix(4))!
            main = main.dropFirst(4)
        case 10:
            let yy = number(main.prefix(2))!
            year = yy >= 69 ? 1900 + yy : 2000 + yy
            main = main.dropFirst(2)
        default:
            year = DateTool.civil(now).year
        }
        let fields = stride(from: main.startIndex, to: main.endIndex, by: 2).map { number(main[$0..<($0 + 2)])! }
        let (month, day, hour, minute) = (fields[0], fields[1], fields[2], fields[3])
        guard month >= 1 && month <= 12, day >= 1, hour < 24, minute < 60 else { return nil }
        let monthDays: [Int64] = [31, DateTool.isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= monthDays[Int(month - 1)] else { return nil }
        // A leap second (:60) is the next minute's first, as mktime normalizes it.
        return DateTool.days(year: year, month: Int(month), day: Int(day)) * 86_400 + hour * 3600 + minute * 60 + seconds
    }

    /// Decimal digits only (nil otherwise, or when empty).
    static func number(_ digits: ArraySlice<UInt8>) -> Int64? {
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int64($1 - 48) }
    }
}
