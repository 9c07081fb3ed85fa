// ls [-l] [-a] [-F] [PATH…] — lists directories (sorted by name) and names files, as GNU ls does:
//   -l  long: mode, links, owner, group, size, modification time (UTC), name; "total" in 1 KiB blocks
//   -a  also names starting with "." (and . and ..)     -F  mark directories with / and symlinks with @
import ABI
import UserLib

nonisolated(unsafe) var tool = Tool("ls", accepted: "laF", usage: "ls [-l] [-a] [-F] [PATH…]")   // one thread: see Tool
let paths = tool.operands.isEmpty ? ["."] : tool.operands
let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
let now = (try? Unix.clock(SV_CLOCK_REALTIME).get().seconds) ?? 0

func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
    var out = s
    while out.utf8.count < width { out = left ? out + " " : " " + out }
    return out
}

/// "drwxr-xr-x": the type letter and the nine permission bits (with s/S, t/T).
func modeString(_ mode: UInt32) -> String {
    let type: String
    switch mode & UInt32(SV_S_IFMT) {
    case UInt32(SV_S_IFDIR): type = "d"
    case UInt32(SV_S_IFLNK): type = "l"
    case UInt32(SV_S_IFCHR): type = "c"
    case UInt32(SV_S_IFIFO): type = "p"
    default: type = "-"
    }
    var out = type
    let specials: [(UInt32, String, String)] = [(0o4000, "s", "S"), (0o2000, "s", "S"), (0o1000, "t", "T")]
    for who in 0..<3 {
        let bits = (mode >> UInt32(6 - 3 * who)) & 7
        out += bits & 4 != 0 ? "r" : "-"
        out += bits & 2 != 0 ? "w" : "-"
        let (special, lower, upper) = specials[who]
        if mode & special != 0 { out += bits & 1 != 0 ? lower : upper } else { out += bits & 1 != 0 ? "x" : "-" }
    }
    return out
}

/// "Dec  7 04:35" within six months of now, else "Dec  7  2025" (GNU's default), in UTC.
func dateString(_ seconds: Int64) -> String {
    // Days to the civil date (H. Hinnant's algorithm, proleptic Gregorian).
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
    let head = months[Int(month - 1)] + " " + pad(String(day), 2)
    let sixMonths: Int64 = 15_778_476
    if seconds > now - sixMonths && seconds <= now + 3600 {
        let hour = secondOfDay / 3600, minute = (secondOfDay / 60) % 60
        return head + " " + (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }
    return head + "  " + String(year)
}

struct Entry {
    var name: String
    var status: FileStatus?
}

/// Prints the entries of one listing, the long columns aligned over all of them (as GNU does).
func show(_ entries: [Entry], total: Bool) {
    guard tool.has("l") else {
        for e in entries {
            let mark = !tool.has("F") ? "" : e.status?.isDirectory == true ? "/" : e.status.map { $0.mode & UInt32(SV_S_IFMT) == UInt32(SV_S_IFLNK) } == true ? "@" : ""
            print(e.name + mark)
        }
        return
    }
    let linkWidth = entries.map { String($0.status?.links ?? 0).utf8.count }.max() ?? 1
    let sizeWidth = entries.map { String($0.status?.size ?? 0).utf8.count }.max() ?? 1
    if total { print("total \(entries.reduce(UInt64(0)) { $0 + ($1.status?.blocks ?? 0) } / 2)") }
    for e in entries {
        guard let s = e.status else { continue }
        let mark = !tool.has("F") ? "" : s.isDirectory ? "/" : ""
        print("\(modeString(s.mode)) \(pad(String(s.links), linkWidth)) root root \(pad(String(s.size), sizeWidth)) \(dateString(s.modified.seconds)) \(e.name)\(mark)")
    }
}

func status(_ path: String) -> FileStatus? {
    if case .success(let s) = Unix.stat(path) { return s }
    return nil
}

/// Files named on the command line first, then each directory's listing (GNU's order).
func list() {
    var files: [Entry] = []
    var directories: [String] = []
    for path in paths {
        switch Unix.stat(path) {
        case .failure(let e): tool.report("cannot access '\(path)'", e)
        case .success(let s) where !s.isDirectory: files.append(Entry(name: path, status: s))
        case .success: directories.append(path)
        }
    }
    show(files, total: false)
    for (i, path) in directories.enumerated() {
        switch Unix.readDirectory(path) {
        case .failure(let e):
            tool.report("cannot open directory '\(path)'", e)
        case .success(let names):
            if paths.count > 1 { print((i > 0 || !files.isEmpty ? "\n" : "") + path + ":") }
            var entries: [Entry] = []
            if tool.has("a") {
                entries.append(Entry(name: ".", status: status(path)))
                entries.append(Entry(name: "..", status: status(Paths.join(path, ".."))))
            }
            let visible = names.filter { tool.has("a") || !$0.hasPrefix(".") }
            let sorted = visible.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for name in sorted { entries.append(Entry(name: name, status: status(Paths.join(path, name)))) }
            show(entries, total: true)
        }
    }
}

list()
tool.finish()
