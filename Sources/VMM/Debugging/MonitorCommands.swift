// MonitorCommands.swift — gdb's `monitor …` commands (GDB remote protocol, qRcmd) for the guest OS:
// `ps` (every process with its state and what it waits for), `ipc` (which server each service has,
// who waits on whom), `mem` (the machine's frames and each process's resident pages) and
// `stop-at-exec` (stop when a named program starts, like the kernel's debug.stop-at-exec). The
// first three read the process table the kernel published at this stop (ProcessSnapshot), already
// validated; the text is formatted here, apart from the stub, so it is tested without a guest.
import ABI

enum MonitorCommand: Equatable {
    case help
    case ps
    case ipc
    case mem
    /// `stop-at-exec` alone lists the programs; `stop-at-exec off` clears them.
    case stopAtExec([String])
    case stopAtExecOff
    case unknown(String)

    static func parse(_ text: String) -> MonitorCommand {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = words.first else { return .help }
        switch first {
        case "help": return .help
        case "ps": return words.count == 1 ? .ps : .unknown(text)
        case "ipc": return words.count == 1 ? .ipc : .unknown(text)
        case "mem": return words.count == 1 ? .mem : .unknown(text)
        case "stop-at-exec":
            if words.count == 2 && words[1] == "off" { return .stopAtExecOff }
            return .stopAtExec(Array(words.dropFirst()))
        default: return .unknown(text)
        }
    }

    static let helpText = """
        monitor ps                  every process: pid, parent, state, name, what it waits for
        monitor ipc                 each service's server, and the calls waiting on servers
        monitor mem                 the machine's page frames, and each process's resident pages
        monitor stop-at-exec NAME…  stop when one of these programs starts (as debug.stop-at-exec)
        monitor stop-at-exec        list them; `monitor stop-at-exec off` clears them

        """

    static let noTable = "No process table at this stop: the kernel publishes it when it stops (a breakpoint, a step, a fault, a program start), not when gdb's Ctrl-C interrupts the vCPU. Set a breakpoint or `monitor stop-at-exec NAME` and continue.\n"
}

/// The text of `ps`, `ipc` and `mem` for one stop.
struct MonitorReport {
    let snapshot: ProcessSnapshot
    /// Pages mapped in each process's address space (by pid), for `mem`.
    var residentPages: [Int32: UInt64] = [:]

    static let pageSize: UInt64 = 4096

    func ps() -> String {
        var rows = [["PID", "PPID", "STATE", "NAME", "WAITING FOR"]]
        let all = (snapshot.processes + snapshot.zombies).sorted { $0.pid < $1.pid }
        for p in all {
            let state: String
            switch p.state {
            case UInt32(SV_DEBUG_PROCESS_RUNNING): state = "running"
            case UInt32(SV_DEBUG_PROCESS_READY): state = "ready"
            case UInt32(SV_DEBUG_PROCESS_BLOCKED): state = "blocked"
            default: state = "zombie"
            }
            rows.append(["\(p.pid)", "\(p.parentPID)", state, p.name, p.detail])
        }
        return Self.table(rows, rightAligned: [0, 1])
    }

    /// What a blocked process's detail (the kernel's words, Kernel/DebugProcessTable.swift
    /// `describe`) says about IPC.
    enum IPCWait: Equatable {
        case receiving(service: String)
        case queued(service: String)
        case awaitingReply(server: Int32)
        case noServer(service: String)
    }

    static func ipcWait(_ detail: String) -> IPCWait? {
        func after(_ prefix: String) -> String? { detail.hasPrefix(prefix) ? String(detail.dropFirst(prefix.count)) : nil }
        if let s = after("IPC receive on ") { return .receiving(service: s) }
        if let s = after("IPC call to ") { return .queued(service: s) }
        if let s = after("IPC reply from pid "), let pid = Int32(s) { return .awaitingReply(server: pid) }
        if let s = after("waiting for a server of ") { return .noServer(service: s) }
        return nil
    }

    func ipc() -> String {
        func name(_ pid: Int32) -> String {
            snapshot.process(pid).map { "\($0.name) (pid \(pid))" } ?? "pid \(pid)"
        }
        var services: [[String]] = [["SERVICE", "SERVER", "STATE"]]
        var waits: [[String]] = [["CLIENT", "WAITS FOR"]]
        for p in snapshot.processes {
            switch Self.ipcWait(p.detail) {
            case .receiving(let service)?:
                services.append([service, name(p.pid), "waiting for a request"])
            case .queued(let service)?:
                waits.append([name(p.pid), "service \(service): the call is queued, no server has taken it yet"])
            case .awaitingReply(let server)?:
                waits.append([name(p.pid), "the reply from \(name(server))"])
            case .noServer(let service)?:
                waits.append([name(p.pid), "service \(service): no server yet (it is being restarted)"])
            case nil:
                break
            }
        }
        var text = Self.table(services, rightAligned: [])
        if services.count == 1 { text = "No process is waiting for requests.\n" }
        text += "\n"
        text += waits.count == 1 ? "No calls are waiting.\n" : Self.table(waits, rightAligned: [])
        return text
    }

    func mem() -> String {
        var text = ""
        if snapshot.totalFrames > 0 {
            let used = snapshot.totalFrames - snapshot.freeFrames
            text += "Frames: \(snapshot.totalFrames) in all (\(Self.size(snapshot.totalFrames))), "
            text += "\(used) used (\(Self.size(used))), \(snapshot.freeFrames) free (\(Self.size(snapshot.freeFrames)))\n"
        } else {
            text += "Frames: not reported at this stop\n"
        }
        var rows = [["PID", "NAME", "PAGES", "RESIDENT"]]
        var total: UInt64 = 0
        for p in snapshot.processes {
            let pages = residentPages[p.pid] ?? 0
            total += pages
            rows.append(["\(p.pid)", p.name, "\(pages)", Self.size(pages)])
        }
        rows.append(["", "all processes", "\(total)", Self.size(total)])
        return text + Self.table(rows, rightAligned: [0, 2, 3])
    }

    /// Pages as KiB or MiB with one decimal, as `free -h` would round.
    static func size(_ pages: UInt64) -> String {
        let kib = pages * (pageSize / 1024)
        if kib < 10 * 1024 { return "\(kib) KiB" }
        let tenths = (kib * 10 + 512) / 1024
        return "\(tenths / 10).\(tenths % 10) MiB"
    }

    /// Columns padded to their widest cell; the last column is never padded.
    static func table(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var text = ""
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                if i > 0 { line += "  " }
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                if rightAligned.contains(i) { line += pad + cell } else { line += i == row.count - 1 ? cell : cell + pad }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            text += line + "\n"
        }
        return text
    }
}
