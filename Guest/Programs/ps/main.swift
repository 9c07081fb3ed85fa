// ps — lists the processes: pid, parent, state, name.
import UserLib

func pad(_ s: String, _ width: Int) -> String {
    var out = s
    while out.count < width { out = " " + out }
    return out
}

print("  PID  PPID STATE  NAME")
for p in System.processes() {
    var state = p.state
    while state.count < 6 { state += " " }
    print("\(pad(String(p.pid), 5)) \(pad(String(p.parent), 5)) \(state) \(p.name)")
}
