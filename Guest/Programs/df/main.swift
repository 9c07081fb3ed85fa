// df [-h] — the filesystem's size, use and free space (in 1 KiB blocks; -h: human-readable).
import UserLib

nonisolated(unsafe) var tool = Tool("df", accepted: "h", usage: "df [-h]")   // one thread: see Tool

func human(_ bytes: UInt64) -> String {
    let units = ["B", "K", "M", "G", "T"]
    var value = bytes * 10, unit = 0
    while value >= 10240 && unit < units.count - 1 { value /= 1024; unit += 1 }
    return value >= 100 || unit == 0 ? "\(value / 10)\(units[unit])" : "\(value / 10).\(value % 10)\(units[unit])"
}

func column(_ s: String, _ width: Int) -> String {
    var out = s
    while out.utf8.count < width { out = " " + out }
    return out
}

switch Files.statistics() {
case .failure(let e):
    tool.report("/", e)
case .success(let (total, free)):
    let used = total - min(free, total)
    let percent = total == 0 ? 0 : (used * 100 + total - 1) / total
    let show: (UInt64) -> String = { tool.has("h") ? human($0 * 4096) : String($0 * 4) }
    print("Filesystem  \(column(tool.has("h") ? "Size" : "1K-blocks", 9)) \(column("Used", 9)) \(column("Available", 9)) Use% Mounted on")
    print("redoxfs     \(column(show(total), 9)) \(column(show(used), 9)) \(column(show(total - used), 9)) \(column("\(percent)%", 4)) /")
}
tool.finish()
