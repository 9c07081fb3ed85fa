// kill PID… — ends processes (as SIGKILL would: status 137).
import UserLib

func killAll(_ pids: ArraySlice<String>) -> Int32 {
    var status: Int32 = 0
    for text in pids {
        guard let pid = Int(text) else { print("kill: \(text): not a pid"); status = 1; continue }
        let r = System.kill(pid)
        if r == -3 { print("kill: \(pid): no such process"); status = 1 }
        else if r == -1 { print("kill: \(pid): not permitted"); status = 1 }
        else if r < 0 { print("kill: \(pid): error \(-r)"); status = 1 }
    }
    return status
}

let pids = System.arguments.dropFirst()
if pids.isEmpty { print("usage: kill PID..."); System.exit(2) }
System.exit(killAll(pids))
