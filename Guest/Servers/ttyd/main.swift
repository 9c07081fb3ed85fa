// ttyd — the terminal server (issue 10; the Redox way: the console device belongs to a user
// process). It attaches the console (SV_SYS_CONSOLE_ATTACH: the kernel then hands it every typed
// byte as an SV_TTY_INPUT notice and routes opens of /dev/tty and /dev/console here), runs the
// line discipline (Libraries/Terminal: termios, echo, canonical and raw modes, ISIG) and serves the
// terminal's descriptors through the kernel's handle calls (sv_fs.h, sv_tty.h): read, write, fstat
// and ioctl. A read that must wait does not stop the server: it is kept (per reader) and answered
// when input makes it complete. Output goes to the device in batches (SV_SYS_CONSOLE_WRITE).
// Job control: the signal characters go to the foreground process group (kill(-pgid, sig)); a
// background reader gets SIGTTIN and waits until its group is in the foreground (Session.swift).
// VTIME's timers run on a clock: a child process (Ticker.swift) calls every 100 ms (VTIME's unit).
// The console device: the virtio-console when the machine has one (ttyd drives it itself,
// VirtioDriver's ConsoleDriver: its interrupts come as notices on ttyd's endpoint, irq_notify, and
// its size is the terminal's window size — a resize on the host is a SIGWINCH here), otherwise the
// 16550 through the kernel (typed bytes as SV_TTY_INPUT notices, output by console_write).
// When ttyd dies, init starts a new one: calls cut off are sent to it by the kernel (the handle is
// the same constant), so a shell's pending read carries on; the modes start again from the
// defaults (docs/TERMINAL.md).
//   ttyd [crash-after N]     (crash-after: die on the Nth request — for the restart tests)
// Exit status 2: the console cannot be attached (no devices right, or another server holds it).
import ABI
import Terminal
import UserLib
import VirtioDriver

struct Reader {
    let caller: UInt64
    var request: ReadRequest
    let group: Int
    let session: Int
}

struct Server {
    var discipline = LineDiscipline()
    var jobs = JobControl()
    var readers: [Reader] = []
    var scratch = [UInt8](repeating: 0, count: 16384)
    /// The virtio-console this server drives; nil: the kernel's 16550.
    var virtio: ConsoleDriver? = nil

    // ---- replies ----

    static func reply(status: Int64, value: UInt64 = 0, kind: Int32 = SV_FS_KIND_NONE, attributes: sv_fs_attributes? = nil) -> [UInt8] {
        var r = sv_fs_reply()
        r.status = status
        r.value = value
        r.kind = UInt8(kind)
        var bytes = Channel.encode(r)
        if let attributes { bytes += Channel.encode(attributes) }
        return bytes
    }
    static func error(_ code: Int32) -> [UInt8] { reply(status: -Int64(code)) }

    // ---- the screen and the signals ----

    /// What the discipline has for the screen goes out; its signals go to the foreground group.
    mutating func flush() {
        let out = discipline.takeOutput()
        if !out.isEmpty {
            if let virtio { virtio.write(out) } else { TerminalCalls.consoleWrite(out) }
        }
        for s in discipline.takeSignals() { jobs.signalForeground(s.number) }
    }

    /// Answers every waiting read that can complete, oldest first. A reader that is gone (killed
    /// while it waited, e.g. by the Ctrl-C just typed) is dropped before it can take input.
    mutating func serveReaders() {
        var i = 0
        while i < readers.count {
            if Channel.leaseWrite(readers[i].caller, offset: 0, from: [][...]) < 0 {
                readers.remove(at: i)
                continue
            }
            guard jobs.mayRead(group: readers[i].group, session: readers[i].session) || jobs.forgetEndedForeground() else { i += 1; continue }
            switch discipline.advance(&readers[i].request, now: System.clock()) {
            case .waiting:
                i += 1
            case .done(let bytes):
                let caller = readers.remove(at: i).caller
                let n = bytes.isEmpty ? 0 : Channel.leaseWrite(caller, offset: 0, from: bytes[...])
                Channel.reply(caller, n < 0 ? Server.error(Int32(-n)) : Server.reply(status: 0, value: UInt64(n)))
            }
        }
    }

    // ---- input ----

    mutating func input(_ bytes: ArraySlice<UInt8>) {
        discipline.receive(bytes)
        flush()
        serveReaders()
    }

    /// The virtio-console interrupted: acknowledged, and a new size (§5.3.6 item 3) if it changed.
    /// Its input is taken by `pollDevice`, which the server loop runs after every notice.
    mutating func deviceInterrupted() {
        guard let virtio else { return }
        if virtio.acknowledgeInterrupt().configChanged, let size = virtio.size {
            resize(WindowSize(rows: size.rows, columns: size.columns))
        }
    }

    /// Input the virtio-console has delivered: a memory read when there is none, so it is done
    /// after every message too (an interrupt notice can be dropped when the queue is full).
    mutating func pollDevice() {
        guard let virtio else { return }
        let bytes = virtio.takeInput()
        if !bytes.isEmpty { input(bytes[...]) }
    }

    /// A new window size: SIGWINCH to the foreground group when it differs (Linux's tty_do_resize).
    mutating func resize(_ w: WindowSize) {
        guard w != discipline.windowSize else { return }
        discipline.windowSize = w
        jobs.signalForeground(28)   // SIGWINCH
    }

    // ---- calls ----

    /// A call the kernel forwarded for a descriptor; nil when its reply comes later (a read).
    mutating func handle(_ m: Channel.Message) -> [UInt8]? {
        guard m.leaseFlags & SV_LEASE_KERNEL != 0, let op = m.request.first else { return Server.error(SV_EPERM) }
        if Int32(op) == SV_FS_OPEN {
            // A device: the kernel lets a caught signal interrupt a read that waits for input.
            return Server.reply(status: 0, value: UInt64(SV_TTY_HANDLE_CONSOLE), kind: SV_FS_KIND_DEVICE)
        }
        guard let r = Channel.decode(sv_fs_handle_request.self, m.request) else { return Server.error(SV_EINVAL) }
        guard r.handle == UInt64(SV_TTY_HANDLE_CONSOLE) else { return Server.error(SV_EBADF) }
        switch Int32(op) {
        case SV_FS_HREAD:
            guard m.leaseFlags & SV_LEASE_WRITE != 0 else { return Server.error(SV_EFAULT) }
            return read(m, count: Int(min(r.count, UInt64(m.leaseLength))))
        case SV_FS_HWRITE:
            guard m.leaseFlags & SV_LEASE_READ != 0 else { return Server.error(SV_EFAULT) }
            return write(m, count: Int(min(r.count, UInt64(m.leaseLength))))
        case SV_FS_HSTAT:
            var a = sv_fs_attributes()
            a.mode = UInt32(SV_S_IFCHR) | 0o620
            a.links = 1
            a.rdev = UInt32(SV_TTY_RDEV_CONSOLE)
            return Server.reply(status: 0, attributes: a)
        case SV_TTY_IOCTL:
            return control(m, request: r.offset, value: r.count)
        case SV_FS_HSYNC:
            return Server.error(SV_EINVAL)
        default:
            return Server.error(SV_ENOSYS)
        }
    }

    mutating func read(_ m: Channel.Message, count: Int) -> [UInt8]? {
        let pid = Int(m.caller)
        let group = JobControl.group(of: pid) ?? 0, sid = JobControl.session(of: pid) ?? 0
        // A background process of the terminal's session reading: SIGTTIN to its group (XBD
        // 11.1.4); the read waits until the group is in the foreground (fg) or the signal ends it.
        if !jobs.mayRead(group: group, session: sid) { JobControl.signalGroup(group, 21) }
        readers.append(Reader(caller: m.caller, request: ReadRequest(count: count, now: System.clock()), group: group, session: sid))
        serveReaders()
        return nil
    }

    /// The kernel gave up `caller`'s read (a signal interrupted it: SV_FS_HCANCEL): its record
    /// goes, so it takes no input and never answers the caller's next call in its place.
    mutating func cancel(caller: UInt64) {
        readers.removeAll { $0.caller == caller }
    }

    mutating func write(_ m: Channel.Message, count: Int) -> [UInt8] {
        var done = 0
        while done < count {
            let n = min(count - done, scratch.count)
            let got = Channel.leaseRead(m.caller, offset: done, into: &scratch, 0..<n)
            guard got > 0 else { return got < 0 && done == 0 ? Server.error(Int32(-got)) : Server.reply(status: 0, value: UInt64(done)) }
            discipline.write(scratch[..<got])
            flush()
            done += got
        }
        return Server.reply(status: 0, value: UInt64(done))
    }

    static func int32Bytes(_ v: Int) -> [UInt8] {
        let u = UInt32(truncatingIfNeeded: v)
        return [UInt8(truncatingIfNeeded: u), UInt8(truncatingIfNeeded: u >> 8), UInt8(truncatingIfNeeded: u >> 16), UInt8(truncatingIfNeeded: u >> 24)]
    }

    /// The lease's first `count` bytes, or nil if it is shorter or unreadable.
    func leased(_ m: Channel.Message, _ count: Int) -> [UInt8]? {
        guard m.leaseLength >= count, m.leaseFlags & SV_LEASE_READ != 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        return Channel.leaseRead(m.caller, offset: 0, into: &bytes, 0..<count) == count ? bytes : nil
    }

    /// Writes `bytes` to the lease and says 0, or the error.
    func give(_ m: Channel.Message, _ bytes: [UInt8]) -> [UInt8] {
        guard m.leaseLength >= bytes.count, m.leaseFlags & SV_LEASE_WRITE != 0 else { return Server.error(SV_EFAULT) }
        let n = Channel.leaseWrite(m.caller, offset: 0, from: bytes[...])
        return n == bytes.count ? Server.reply(status: 0) : Server.error(n < 0 ? Int32(-n) : SV_EFAULT)
    }

    /// ioctl (sv_tty.h's requests; the kernel sized and checked the lease).
    mutating func control(_ m: Channel.Message, request: UInt64, value: UInt64) -> [UInt8] {
        let caller = Int(m.caller)
        switch request {
        case UInt64(SV_TCGETS):
            return give(m, discipline.termios.bytes)
        case UInt64(SV_TCSETS), UInt64(SV_TCSETSW), UInt64(SV_TCSETSF):
            guard let bytes = leased(m, Termios.byteCount), let t = Termios(bytes: bytes) else { return Server.error(SV_EFAULT) }
            // TCSETSW waits for output to drain: ttyd's output has left at every write's reply.
            discipline.setTermios(t, mode: request == UInt64(SV_TCSETSF) ? .flushInput : .now)
            flush()
            serveReaders()
            return Server.reply(status: 0)
        case UInt64(SV_TIOCGWINSZ):
            return give(m, discipline.windowSize.bytes)
        case UInt64(SV_TIOCSWINSZ):
            guard let bytes = leased(m, WindowSize.byteCount), let w = WindowSize(bytes: bytes) else { return Server.error(SV_EFAULT) }
            resize(w)
            return Server.reply(status: 0)
        case UInt64(SV_TIOCGPGRP):
            return give(m, Server.int32Bytes(jobs.foreground))
        case UInt64(SV_TIOCSPGRP):
            guard let bytes = leased(m, 4) else { return Server.error(SV_EFAULT) }
            let pgid = Int(Int32(bitPattern: UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24))
            let e = jobs.setForeground(pgid, by: caller)
            if e == 0 { serveReaders() }   // readers of the new foreground may take input now
            return e == 0 ? Server.reply(status: 0) : Server.error(e)
        case UInt64(SV_TIOCSCTTY):
            let e = jobs.takeControl(by: caller)
            return e == 0 ? Server.reply(status: 0) : Server.error(e)
        case UInt64(SV_TIOCNOTTY):
            let e = jobs.release(by: caller)
            return e == 0 ? Server.reply(status: 0) : Server.error(e)
        case UInt64(SV_FIONREAD):
            return give(m, Server.int32Bytes(discipline.bytesReadable))
        case UInt64(SV_TIOCOUTQ):
            return give(m, Server.int32Bytes(0))   // nothing is ever queued: output leaves at once
        default:
            return Server.error(SV_ENOTTY)
        }
    }
}

func main() -> Never {
    var crashAfter = CrashAfter("ttyd")
    let endpoint = Channel.serve(SV_TTY_SERVICE)
    guard endpoint > 0 else { print("ttyd: cannot serve \"tty\" (error \(-endpoint))"); System.exit(2) }
    if case .failure(let e) = TerminalCalls.attachConsole(endpoint) {
        print("ttyd: cannot attach the console: \(e.description)")
        System.exit(2)
    }
    var server = Server()
    if let device = ConsoleDriver() {
        let e = System.irqNotify(device.deviceIndex, endpoint: endpoint)
        if e == 0 {
            server.virtio = device
            if let size = device.size { server.discipline.windowSize = WindowSize(rows: size.rows, columns: size.columns) }
        } else {
            print("ttyd: the virtio-console's interrupts cannot reach this server (error \(-e)); using the serial console")
        }
    }
    let ticker = Ticker.start(endpoint)
    var next = Channel.receive(endpoint)
    while true {
        guard case .success(let m) = next else { print("ttyd: receive failed"); System.exit(1) }
        if m.caller == UInt64(SV_IPC_CALLER_KERNEL) {
            // A notice: typed bytes, the virtio-console's interrupt, a read given up, or a
            // descriptor's close (nothing to free: one terminal).
            if m.request.count > MemoryLayout<sv_tty_input>.size, Int32(m.request[0]) == SV_TTY_INPUT {
                server.input(m.request[MemoryLayout<sv_tty_input>.size...])
            } else if m.request.count >= MemoryLayout<sv_irq_notice>.size, Int32(m.request[0]) == SV_IRQ_NOTICE {
                server.deviceInterrupted()
            } else if let r = Channel.decode(sv_fs_handle_request.self, m.request), Int32(r.op) == SV_FS_HCANCEL {
                server.cancel(caller: r.offset)
            }
            server.pollDevice()
            next = Channel.receive(endpoint)
            continue
        }
        if m.caller == UInt64(ticker), m.request.first == Ticker.op, m.leaseFlags & SV_LEASE_KERNEL == 0 {
            server.pollDevice()     // and a safety net for a dropped interrupt notice
            server.serveReaders()   // VTIME deadlines that passed complete their reads
            next = Channel.replyAndReceive(endpoint, caller: m.caller, reply: [])
            continue
        }
        crashAfter.request()
        server.pollDevice()
        if let reply = server.handle(m) {
            next = Channel.replyAndReceive(endpoint, caller: m.caller, reply: reply)
        } else {
            next = Channel.receive(endpoint)
        }
    }
}

main()
