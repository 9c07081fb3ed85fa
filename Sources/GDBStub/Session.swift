// Session.swift — one gdb connection's state machine, free of I/O: bytes from gdb go in through
// `receive`, bytes for gdb come out; stops of the running target go in through `targetStopped`.
// It acknowledges packets, answers each command against a `DebugTarget`, tracks the selected
// threads (`Hg`, `Hc`), the acknowledgment mode (`QStartNoAckMode`) and whether the target runs.

/// The error numbers in `E` replies. gdb only prints them; we use errno values like QEMU and gdbserver.
public enum StubErrno: UInt8, Sendable {
    /// `E00`: qXfer with an annex we do not serve (gdb manual "qXfer read").
    case invalidAnnex = 0
    /// `E03` (ESRCH): no such thread.
    case noSuchThread = 3
    /// `E05` (EIO): the VMM failed underneath.
    case io = 5
    /// `E14` (EFAULT): the guest-virtual address is not mapped.
    case badAddress = 14
    /// `E22` (EINVAL): malformed packet or invalid argument.
    case invalid = 22
    /// `E28` (ENOSPC): no free debug register.
    case noSpace = 28

    /// The reply payload, e.g. `E14`.
    public var reply: [UInt8] {
        Array("E".utf8) + Array((rawValue < 10 ? "0\(rawValue)" : "\(rawValue)").utf8)
    }

    init(_ error: DebugTargetError) {
        switch error {
        case .noSuchThread: self = .noSuchThread
        case .unmapped: self = .badAddress
        case .rejected: self = .invalid
        case .noResources: self = .noSpace
        case .failed: self = .io
        }
    }
}

public struct SessionOptions: Sendable {
    /// The largest packet we accept (data between `$` and `#`), advertised as PacketSize. It also
    /// bounds `m` replies (two hex digits per byte) and `qXfer` chunks. Keep it at least 1217 (a `G`
    /// packet carries the 608-byte register file as hex); smaller values only suit tests.
    public var maxPacketSize: Int
    /// Run-length encode replies (gdb decodes them; saves bytes on mostly-zero register files).
    public var runLengthEncodeReplies: Bool
    /// Receives one line per notable event (bad packets, ignored packets); nil to stay quiet.
    public var log: (@Sendable (String) -> Void)?

    public init(maxPacketSize: Int = 4096, runLengthEncodeReplies: Bool = false,
                log: (@Sendable (String) -> Void)? = nil) {
        self.maxPacketSize = maxPacketSize
        self.runLengthEncodeReplies = runLengthEncodeReplies
        self.log = log
    }
}

public final class Session {
    /// The answer to one packet.
    public enum Reply: Equatable, Sendable {
        /// Send this payload (unframed; an empty payload means "unsupported").
        case packet([UInt8])
        /// The target was resumed: the stop reply comes later, from `targetStopped`.
        case resumed
        /// End the session after sending the payload, if any (`D` replies OK, `k` nothing).
        case close([UInt8]?)
    }

    public let target: any DebugTarget
    public let options: SessionOptions
    var decoder: PacketDecoder

    /// Whether we still send and expect `+`/`-` (until `QStartNoAckMode`).
    public private(set) var ackMode = true
    /// Whether the target is running (after `c`, `s`, `vCont`), until `targetStopped`.
    public private(set) var isRunning = false
    /// The session is over (`D`, `k`, `vKill`): the server closes the connection.
    public private(set) var isFinished = false
    /// gdb killed the target (`k`, `vKill`): the server stops serving.
    public private(set) var targetKilled = false
    /// Why the target last stopped (the `?` answer).
    public private(set) var lastStop: StopEvent
    /// The thread for `g`, `G`, `p`, `P`, `m`, `M`, `X`, `Z` (set by `Hg` and by each stop).
    public private(set) var generalThread: ThreadID
    /// The thread for legacy `c`/`s` (set by `Hc`).
    public private(set) var continueThread: ThreadSelector = .all

    var peerSupportsSwbreak = false
    var peerSupportsHwbreak = false
    var lastSent: [UInt8]? = nil
    var enterNoAckModeAfterReply = false

    /// Starts a session: stops the target for the attach (`DebugTarget.attach`).
    public init(target: any DebugTarget, options: SessionOptions = SessionOptions()) {
        self.target = target
        self.options = options
        self.decoder = PacketDecoder(maxPacketSize: options.maxPacketSize)
        let stop = target.attach()
        self.lastStop = stop
        self.generalThread = stop.thread
    }

    // MARK: - Wire level

    /// Feeds bytes received from gdb; returns the bytes to send back (acks, replies, retransmissions).
    public func receive<C: Sequence>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        for event in decoder.feed(bytes) {
            switch event {
            case .packet(let data):
                if ackMode { out.append(UInt8(ascii: "+")) }
                guard !isFinished else { continue }
                guard !isRunning else {
                    // All-stop: gdb sends nothing but `\x03` while the target runs.
                    log("ignored packet while running: \(printable(data))")
                    continue
                }
                switch handle(packet: data) {
                case .packet(let payload):
                    out += send(payload)
                case .resumed:
                    break
                case .close(let payload):
                    if let payload { out += send(payload) }
                    isFinished = true
                }
                if enterNoAckModeAfterReply {
                    enterNoAckModeAfterReply = false
                    ackMode = false
                    lastSent = nil
                }
            case .badChecksum:
                log("bad checksum")
                if ackMode { out.append(UInt8(ascii: "-")) }
            case .malformed:
                log("malformed run-length encoding")
                if ackMode { out.append(UInt8(ascii: "+")) }
                if !isRunning && !isFinished { out += send(StubErrno.invalid.reply) }
            case .oversized(let valid):
                log("dropped packet longer than \(options.maxPacketSize) bytes")
                if ackMode { out.append(valid ? UInt8(ascii: "+") : UInt8(ascii: "-")) }
                if valid && !isRunning && !isFinished { out += send(StubErrno.invalid.reply) }
            case .ack:
                lastSent = nil
            case .nack:
                if ackMode, let again = lastSent { out += again }
            case .interrupt:
                if isRunning { target.interrupt() }
            }
        }
        return out
    }

    /// The running target stopped: returns the stop reply to send.
    public func targetStopped(_ event: StopEvent) -> [UInt8] {
        precondition(isRunning, "targetStopped while the target is not running")
        isRunning = false
        lastStop = event
        generalThread = event.thread
        return send(stopReply(event))
    }

    /// The connection closed without `D` or `k`: detach, as QEMU does, so the guest runs on.
    public func connectionLost() {
        guard !isFinished else { return }
        isFinished = true
        target.detach()
    }

    func send(_ payload: [UInt8]) -> [UInt8] {
        let wire = options.runLengthEncodeReplies ? PacketEncoder.runLengthEncode(payload) : payload
        let framed = PacketEncoder.frame(wire)
        if ackMode { lastSent = framed }
        return framed
    }

    func log(_ message: @autoclosure () -> String) {
        if let log = options.log { log(message()) }
    }

    // MARK: - Packet level

    /// Answers one packet (checksum verified, run-length decoded).
    public func handle(packet: [UInt8]) -> Reply {
        let command = Command.parse(packet)
        if case .malformed(let reason) = command { log("malformed packet \(printable(packet)): \(reason)") }
        return handle(command)
    }

    public func handle(_ command: Command) -> Reply {
        switch command {
        case .querySupported(let features):
            peerSupportsSwbreak = features.contains("swbreak+")
            peerSupportsHwbreak = features.contains("hwbreak+")
            let reply = "PacketSize=\(String(options.maxPacketSize, radix: 16));qXfer:features:read+;"
                + "QStartNoAckMode+;vContSupported+;swbreak+;hwbreak+"
                + (target.libraries() != nil ? ";qXfer:libraries:read+" : "")
            return .packet(Array(reply.utf8))
        case .startNoAckMode:
            enterNoAckModeAfterReply = true
            return ok
        case .haltReason:
            return .packet(stopReply(lastStop))
        case .readRegisters:
            do {
                return .packet(Hex.encode(try target.readRegisters(thread: generalThread).encoded()))
            } catch { return .packet(StubErrno(error).reply) }
        case .writeRegisters(let bytes):
            guard let new = X86_64Registers(encoded: bytes) else { return .packet(StubErrno.invalid.reply) }
            return writeRegisters { old in
                (new, Set(X86_64Register.allCases.filter { old.bytes(of: $0) != new.bytes(of: $0) }))
            }
        case .readRegister(let n):
            guard let register = X86_64Register(rawValue: n) else { return .packet(StubErrno.invalid.reply) }
            do {
                return .packet(Hex.encode(try target.readRegisters(thread: generalThread).bytes(of: register)))
            } catch { return .packet(StubErrno(error).reply) }
        case .writeRegister(let n, let bytes):
            guard let register = X86_64Register(rawValue: n), bytes.count == register.size else {
                return .packet(StubErrno.invalid.reply)
            }
            return writeRegisters { old in
                var new = old
                new.setBytes(bytes[...], of: register)
                return (new, [register])
            }
        case .readMemory(let address, let length):
            return .packet(readMemory(at: address, length: length))
        case .writeMemory(let address, let bytes):
            return .packet(writeMemory(bytes, at: address))
        case .insertBreakpoint(let bp):
            return .packet(reply(target.insertBreakpoint(bp, thread: generalThread)))
        case .removeBreakpoint(let bp):
            return .packet(reply(target.removeBreakpoint(bp, thread: generalThread)))
        case .resume(let action, let address):
            return resumeLegacy(action, address: address)
        case .vContQuery:
            return .packet(Array("vCont;c;C;s;S".utf8))
        case .vCont(let actions):
            return resume(actions)
        case .setThread(let operation, let selector):
            if case .thread(let t) = selector, !target.threads().contains(t) {
                return .packet(StubErrno.noSuchThread.reply)
            }
            if operation == UInt8(ascii: "g") {
                if case .thread(let t) = selector { generalThread = t }
            } else {
                continueThread = selector
            }
            return ok
        case .threadAlive(let selector):
            if case .thread(let t) = selector, !target.threads().contains(t) {
                return .packet(StubErrno.noSuchThread.reply)
            }
            return ok
        case .threadInfoFirst:
            let list = target.threads().map { String($0.value, radix: 16) }.joined(separator: ",")
            return .packet(Array("m\(list)".utf8))
        case .threadInfoNext:
            return .packet(Array("l".utf8))
        case .currentThread:
            return .packet(Array("QC\(String(generalThread.value, radix: 16))".utf8))
        case .threadExtraInfo(let selector):
            guard case .thread(let t) = selector, target.threads().contains(t) else {
                return .packet(StubErrno.noSuchThread.reply)
            }
            return .packet(Hex.encode(text: target.threadDescription(t) ?? ""))
        case .attached:
            // We attached to a machine that was already there: on quit gdb detaches, not kills.
            return .packet(Array("1".utf8))
        case .readFeatures(let annex, let offset, let length):
            return .packet(readFeatures(annex: annex, offset: offset, length: length))
        case .readLibraries(let offset, let length):
            guard let libraries = target.libraries() else { return .packet([]) }
            return .packet(chunk(of: Array(LibraryList.document(libraries).utf8), offset: offset, length: length))
        case .symbolLookupReady:
            return ok
        case .monitor(let command):
            // GDB remote protocol, qRcmd: the reply is the command's output, hex-encoded ("OK" when
            // it printed nothing); an empty reply means the target has no monitor commands.
            guard let output = target.monitor(command) else { return .packet([]) }
            return .packet(output.isEmpty ? Array("OK".utf8) : Hex.encode(text: output))
        case .detach:
            target.detach()
            return .close(Array("OK".utf8))
        case .kill:
            targetKilled = true
            target.kill()
            return .close(nil)
        case .vKill:
            targetKilled = true
            target.kill()
            return .close(Array("OK".utf8))
        case .unsupported:
            return .packet([])
        case .malformed:
            return .packet(StubErrno.invalid.reply)
        }
    }

    var ok: Reply { .packet(Array("OK".utf8)) }

    func reply(_ result: BreakpointResult) -> [UInt8] {
        switch result {
        case .ok: return Array("OK".utf8)
        case .unsupported: return []
        case .failed(let e): return StubErrno(e).reply
        }
    }

    func writeRegisters(_ update: (X86_64Registers) -> (X86_64Registers, Set<X86_64Register>)) -> Reply {
        do {
            let old = try target.readRegisters(thread: generalThread)
            let (new, changed) = update(old)
            if !changed.isEmpty { try target.writeRegisters(new, changed: changed, thread: generalThread) }
            return ok
        } catch { return .packet(StubErrno(error).reply) }
    }

    /// The `T` (or `W`) stop reply for an event.
    public func stopReply(_ event: StopEvent) -> [UInt8] {
        let signal: UInt8
        var reason = ""
        switch event.reason {
        case .attached, .step: signal = 5
        case .softwareBreakpoint:
            signal = 5
            if peerSupportsSwbreak { reason = "swbreak:;" }
        case .hardwareBreakpoint:
            signal = 5
            if peerSupportsHwbreak { reason = "hwbreak:;" }
        case .watchpoint(let kind, let address):
            signal = 5
            let name = kind == .readWatch ? "rwatch" : kind == .accessWatch ? "awatch" : "watch"
            reason = "\(name):\(String(address.value, radix: 16));"
        case .interrupted: signal = 2
        case .signal(let s): signal = s
        case .exited(let code): return Array("W".utf8) + Hex.byte(code)
        case .librariesChanged:
            signal = 5
            reason = "library:;"
        }
        return Array("T".utf8) + Hex.byte(signal) + Array("\(reason)thread:\(String(event.thread.value, radix: 16));".utf8)
    }

    // MARK: - Memory

    /// The most bytes one `m` reply carries.
    var maxReadLength: Int { options.maxPacketSize / 2 }

    /// Reads page by page. A fault after the first page returns the bytes read so far (the manual
    /// allows short `m` replies); a fault on the first page is `E14`.
    func readMemory(at address: VirtualAddress, length: Int) -> [UInt8] {
        var remaining = min(length, maxReadLength)
        var at = address
        var data: [UInt8] = []
        while remaining > 0 {
            let inPage = Int(DebugTargetPageSize - at.value % DebugTargetPageSize)
            let count = min(remaining, inPage)
            do {
                data += try target.readMemory(at: at, count: count, thread: generalThread)
            } catch {
                if data.isEmpty { return StubErrno(error).reply }
                break
            }
            remaining -= count
            guard remaining > 0, let next = at.adding(UInt64(count)) else { break }
            at = next
        }
        return Hex.encode(data)
    }

    /// Writes page by page; stops at the first fault with `E14` (earlier pages stay written).
    func writeMemory(_ bytes: [UInt8], at address: VirtualAddress) -> [UInt8] {
        var done = 0
        var at = address
        while done < bytes.count {
            let inPage = Int(DebugTargetPageSize - at.value % DebugTargetPageSize)
            let count = min(bytes.count - done, inPage)
            do {
                try target.writeMemory(Array(bytes[done..<(done + count)]), at: at, thread: generalThread)
            } catch { return StubErrno(error).reply }
            done += count
            guard done < bytes.count else { break }
            guard let next = at.adding(UInt64(count)) else { return StubErrno.badAddress.reply }
            at = next
        }
        return Array("OK".utf8)
    }

    // MARK: - Target description

    func readFeatures(annex: String, offset: Int, length: Int) -> [UInt8] {
        guard annex == TargetDescription.annex else { return StubErrno.invalidAnnex.reply }
        return chunk(of: TargetDescription.bytes, offset: offset, length: length)
    }

    /// One qXfer read reply: `m` + a chunk when more follows, `l` + the last one.
    func chunk(of document: [UInt8], offset: Int, length: Int) -> [UInt8] {
        guard offset <= document.count else { return StubErrno.invalid.reply }
        // Leave room for the m/l prefix and for escapes (each byte may double).
        let count = min(length, document.count - offset, (options.maxPacketSize - 1) / 2)
        let chunk = document[offset..<(offset + count)]
        let more = offset + count < document.count
        return [UInt8(ascii: more ? "m" : "l")] + BinaryEscaping.escape(chunk)
    }

    // MARK: - Run control

    func resumeLegacy(_ action: ResumeAction, address: VirtualAddress?) -> Reply {
        if case .exited = lastStop.reason { return .packet(StubErrno.invalid.reply) }
        // `c` runs every vCPU; `s` steps the Hc thread (the current one when Hc is -1 or 0) alone.
        let current: ThreadID
        if case .thread(let t) = continueThread { current = t } else { current = generalThread }
        if let address {
            let r = writeRegisters { old in
                var new = old
                new.rip = address.value
                return (new, [.rip])
            }
            if r != ok { return r }
        }
        var plan: [ThreadID: ResumeAction] = [:]
        switch action {
        case .continue:
            for t in target.threads() { plan[t] = action }
        case .step:
            plan[current] = action
        }
        return start(ResumePlan(plan))
    }

    /// vCont: for each thread, the leftmost action whose thread-id matches applies; threads no action
    /// matches stay stopped (gdb manual "vCont").
    func resume(_ actions: [VContAction]) -> Reply {
        if case .exited = lastStop.reason { return .packet(StubErrno.invalid.reply) }
        var plan: [ThreadID: ResumeAction] = [:]
        for t in target.threads() {
            if let a = actions.first(where: { $0.selector.matches(t) }) { plan[t] = a.action }
        }
        guard !plan.isEmpty else { return .packet(StubErrno.noSuchThread.reply) }
        return start(ResumePlan(plan))
    }

    func start(_ plan: ResumePlan) -> Reply {
        do {
            try target.resume(plan)
        } catch { return .packet(StubErrno(error).reply) }
        isRunning = true
        return .resumed
    }
}

/// Packet data for logs: printable ASCII as is, the rest as \xNN, at most 80 characters.
func printable(_ bytes: [UInt8]) -> String {
    var s = ""
    for b in bytes.prefix(80) {
        if b >= 0x20 && b < 0x7f { s.unicodeScalars.append(Unicode.Scalar(b)) } else { s += "\\x" + String(b, radix: 16) }
    }
    return bytes.count > 80 ? s + "…" : s
}
