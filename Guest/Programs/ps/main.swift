// ps — lists the processes: pid, parent, state ("stopped" for one a stop signal stopped), process
// group, session, name.
import UserLib

func pad(_ s: String, _ width: Int) -> String {
    var out = s
    while out.count < width { out = " " + out }
    return out
}

print("  PID  PPID STATE    PGID   SID NAME")
for p in System.processes() {
    var state = p.state
    while state.count < 7 { state += " " }
    print("\(pad(String(p.pid), 5)) \(pad(String(p.parent), 5)) \(state) \(pad(String(p.pgid), 5)) \(pad(String(p.sid), 5)) \(p.name)")
}
