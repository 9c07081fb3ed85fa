// kill [-s NAME | -NAME | -NUM] PID…, kill -l [NUM | NAME] — sends a signal (SIGTERM by default) to
// processes or, with a negative pid, to a process group, as procps/coreutils kill does.
import UserLib

/// Linux's signal names, by number (SIGHUP 1 … SIGSYS 31).
let names = ["HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
             "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
             "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"]

/// A signal named by number or name (with or without SIG, any case).
func signalNumber(_ text: String) -> Int32? {
    if let n = Int32(text) { return n >= 0 && n <= 64 ? n : nil }
    var name = String(decoding: text.utf8.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self)
    if name.hasPrefix("SIG") { name = String(name.dropFirst(3)) }
    if let i = names.firstIndex(of: name) { return Int32(i + 1) }
    return nil
}

func send(_ sig: Int32, _ pids: ArraySlice<String>) -> Int32 {
    var status: Int32 = 0
    for text in pids {
        guard let pid = Int(text) else { print("kill: \(text): not a pid"); status = 1; continue }
        let r = System.kill(pid, signal: sig)
        if r == -3 { print("kill: \(pid): no such process"); status = 1 }
        else if r == -1 { print("kill: \(pid): not permitted"); status = 1 }
        else if r < 0 { print("kill: \(pid): error \(-r)"); status = 1 }
    }
    return status
}

func main() -> Never {
    var arguments = System.arguments.dropFirst()
    var sig: Int32 = 15
    if let first = arguments.first {
        if first == "-l" {
            if let n = arguments.dropFirst().first {
                // kill -l HUP numbers a named signal (procps, bash); kill -l 143 names the signal
                // of an exit status, as the shells do.
                if Int(n) == nil, let number = signalNumber(n) { print("\(number)"); System.exit(0) }
                guard var v = Int(n) else { print("kill: \(n): invalid signal"); System.exit(1) }
                if v > 128 { v -= 128 }
                guard v >= 1 && v <= names.count else { print("kill: \(n): invalid signal"); System.exit(1) }
                print(names[v - 1])
            } else {
                print(names.joined(separator: " "))
            }
            System.exit(0)
        } else if first == "-s" {
            guard let name = arguments.dropFirst().first, let n = signalNumber(name) else { print("kill: invalid signal"); System.exit(2) }
            sig = n
            arguments = arguments.dropFirst(2)
        } else if first.hasPrefix("-"), first != "--", let n = signalNumber(String(first.dropFirst())) {
            sig = n
            arguments = arguments.dropFirst()
        }
    }
    if arguments.first == "--" { arguments = arguments.dropFirst() }
    if arguments.isEmpty { print("usage: kill [-s SIGNAL | -SIGNAL] PID... | kill -l [STATUS]"); System.exit(2) }
    System.exit(send(sig, arguments))
}

main()
