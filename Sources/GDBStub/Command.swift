// Command.swift — one packet from gdb, parsed into a typed command (gdb manual "Packets", "General
// Query Packets", "vCont"). Parsing never fails by crashing: anything that does not parse is
// `.malformed` (answered with `E22`), anything we do not implement is `.unsupported` (empty reply).

/// A thread-id in a packet: `-1` means all threads, `0` any thread. The multiprocess form
/// `pPID.TID` is accepted too (we do not ask for it, but a peer may send it); the PID is ignored.
public enum ThreadSelector: Equatable, Sendable {
    case all
    case any
    case thread(ThreadID)

    /// Whether the selector names `thread`.
    public func matches(_ thread: ThreadID) -> Bool {
        switch self {
        case .all, .any: return true
        case .thread(let t): return t == thread
        }
    }
}

/// One `vCont` action: `c`, `Cxx`, `s`, `Sxx`, optionally restricted to a thread.
public struct VContAction: Equatable, Sendable {
    public var action: ResumeAction
    public var selector: ThreadSelector
    public init(_ action: ResumeAction, _ selector: ThreadSelector) {
        self.action = action
        self.selector = selector
    }
}

public enum Command: Equatable, Sendable {
    case querySupported(features: [String])
    case startNoAckMode
    case haltReason
    case readRegisters
    case writeRegisters([UInt8])
    case readRegister(Int)
    case writeRegister(Int, [UInt8])
    case readMemory(VirtualAddress, length: Int)
    /// `M` (hex) and `X` (binary) both land here.
    case writeMemory(VirtualAddress, [UInt8])
    case insertBreakpoint(Breakpoint)
    case removeBreakpoint(Breakpoint)
    /// Legacy `c`/`C`/`s`/`S`: the action applies to the `Hc` thread; `address` is a new RIP.
    case resume(ResumeAction, address: VirtualAddress?)
    case vContQuery
    case vCont([VContAction])
    case setThread(operation: UInt8, ThreadSelector)
    case threadAlive(ThreadSelector)
    case threadInfoFirst
    case threadInfoNext
    case currentThread
    case threadExtraInfo(ThreadSelector)
    case attached
    case readFeatures(annex: String, offset: Int, length: Int)
    /// `qXfer:libraries:read::OFFSET,LENGTH`: the loaded programs whose symbols gdb should use.
    case readLibraries(offset: Int, length: Int)
    /// `qRcmd,HEX`: gdb's `monitor TEXT`, the text hex-encoded.
    case monitor(String)
    case symbolLookupReady
    case detach
    case kill
    case vKill
    /// A packet we do not implement: answered with an empty packet, as the protocol requires.
    case unsupported
    /// A packet we implement but whose arguments are invalid; `reason` is for logs and tests.
    case malformed(reason: String)
}

extension Command {
    /// Parses one packet's data (checksum already verified, run-length already decoded).
    public static func parse(_ packet: [UInt8]) -> Command {
        var p = PacketParser(packet[...])
        guard let first = p.next() else { return .unsupported }
        switch first {
        case UInt8(ascii: "?"): return p.atEnd ? .haltReason : .malformed(reason: "? takes no arguments")
        case UInt8(ascii: "g"): return p.atEnd ? .readRegisters : .malformed(reason: "g takes no arguments")
        case UInt8(ascii: "G"):
            guard let bytes = Hex.decodeBytes(p.rest) else { return .malformed(reason: "G: bad hex") }
            return .writeRegisters(bytes)
        case UInt8(ascii: "p"):
            guard let n = p.number(upTo: nil), p.atEnd, n < 0x10000 else { return .malformed(reason: "p: bad register") }
            return .readRegister(Int(n))
        case UInt8(ascii: "P"):
            guard let n = p.number(upTo: UInt8(ascii: "=")), n < 0x10000, p.skip(UInt8(ascii: "=")),
                  let bytes = Hex.decodeBytes(p.rest) else { return .malformed(reason: "P: expected n=value") }
            return .writeRegister(Int(n), bytes)
        case UInt8(ascii: "m"):
            guard let (address, length) = p.addressAndLength(), p.atEnd else {
                return .malformed(reason: "m: expected addr,length")
            }
            return .readMemory(address, length: length)
        case UInt8(ascii: "M"):
            guard let (address, length) = p.addressAndLength(), p.skip(UInt8(ascii: ":")),
                  let bytes = Hex.decodeBytes(p.rest) else { return .malformed(reason: "M: expected addr,length:hex") }
            guard bytes.count == length else { return .malformed(reason: "M: length \(length) but \(bytes.count) bytes") }
            return .writeMemory(address, bytes)
        case UInt8(ascii: "X"):
            guard let (address, length) = p.addressAndLength(), p.skip(UInt8(ascii: ":")),
                  let bytes = BinaryEscaping.unescape(p.rest) else { return .malformed(reason: "X: expected addr,length:data") }
            guard bytes.count == length else { return .malformed(reason: "X: length \(length) but \(bytes.count) bytes") }
            return .writeMemory(address, bytes)
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard let type = p.number(upTo: UInt8(ascii: ",")), p.skip(UInt8(ascii: ",")),
                  let address = p.number(upTo: UInt8(ascii: ",")), p.skip(UInt8(ascii: ",")),
                  let kind = p.number(upTo: UInt8(ascii: ";")), kind <= 0x1000 else {
                return .malformed(reason: "Z: expected type,addr,kind")
            }
            // Anything after ';' is a condition or command list, which we do not advertise.
            guard type <= 4, let k = Breakpoint.Kind(rawValue: Int(type)) else { return .unsupported }
            let bp = Breakpoint(kind: k, address: VirtualAddress(address), length: Int(kind))
            return first == UInt8(ascii: "Z") ? .insertBreakpoint(bp) : .removeBreakpoint(bp)
        case UInt8(ascii: "c"), UInt8(ascii: "s"):
            let address: VirtualAddress?
            if p.atEnd { address = nil } else {
                guard let a = p.number(upTo: nil), p.atEnd else { return .malformed(reason: "c/s: bad address") }
                address = VirtualAddress(a)
            }
            return .resume(first == UInt8(ascii: "c") ? .continue(signal: nil) : .step(signal: nil), address: address)
        case UInt8(ascii: "C"), UInt8(ascii: "S"):
            guard let sig = p.number(upTo: UInt8(ascii: ";")), sig <= 0xff else { return .malformed(reason: "C/S: bad signal") }
            var address: VirtualAddress? = nil
            if p.skip(UInt8(ascii: ";")) {
                guard let a = p.number(upTo: nil), p.atEnd else { return .malformed(reason: "C/S: bad address") }
                address = VirtualAddress(a)
            }
            guard p.atEnd else { return .malformed(reason: "C/S: trailing data") }
            let s = UInt8(sig)
            return .resume(first == UInt8(ascii: "C") ? .continue(signal: s) : .step(signal: s), address: address)
        case UInt8(ascii: "H"):
            guard let op = p.next() else { return .malformed(reason: "H: missing operation") }
            guard let sel = p.threadSelector(), p.atEnd else { return .malformed(reason: "H: bad thread-id") }
            guard op == UInt8(ascii: "g") || op == UInt8(ascii: "c") else { return .unsupported }
            return .setThread(operation: op, sel)
        case UInt8(ascii: "T"):
            guard let sel = p.threadSelector(), p.atEnd else { return .malformed(reason: "T: bad thread-id") }
            return .threadAlive(sel)
        case UInt8(ascii: "D"):
            return .detach  // "D" or "D;pid"
        case UInt8(ascii: "k"):
            return .kill
        default:
            break
        }
        let text = String(decoding: packet, as: UTF8.self)
        return parseNamed(text)
    }

    static func parseNamed(_ text: String) -> Command {
        if text == "QStartNoAckMode" { return .startNoAckMode }
        if text == "qSupported" { return .querySupported(features: []) }
        if text.hasPrefix("qSupported:") {
            return .querySupported(features: text.dropFirst("qSupported:".count).split(separator: ";").map(String.init))
        }
        if text == "qfThreadInfo" { return .threadInfoFirst }
        if text == "qsThreadInfo" { return .threadInfoNext }
        if text == "qC" { return .currentThread }
        if text == "qAttached" || text.hasPrefix("qAttached:") { return .attached }
        if text == "qSymbol::" { return .symbolLookupReady }
        if text == "vCont?" { return .vContQuery }
        if text.hasPrefix("vKill") { return .vKill }
        if text.hasPrefix("qThreadExtraInfo,") {
            var p = PacketParser(Array(text.utf8)[...])
            p.advance("qThreadExtraInfo,".utf8.count)
            guard let sel = p.threadSelector(), p.atEnd else { return .malformed(reason: "qThreadExtraInfo: bad thread-id") }
            return .threadExtraInfo(sel)
        }
        if text.hasPrefix("vCont;") { return parseVCont(text) }
        if text.hasPrefix("qRcmd,") {
            guard let bytes = Hex.decodeBytes(Array(text.utf8).dropFirst("qRcmd,".count)),
                  let command = String(validating: bytes, as: UTF8.self) else { return .malformed(reason: "qRcmd: bad hex") }
            return .monitor(command)
        }
        if text.hasPrefix("qXfer:libraries:read::") {
            var p = PacketParser(Array(text.dropFirst("qXfer:libraries:read::".count).utf8)[...])
            guard let (offset, length) = p.offsetAndLength(), p.atEnd else { return .malformed(reason: "qXfer: bad offset,length") }
            return .readLibraries(offset: offset, length: length)
        }
        if text.hasPrefix("qXfer:features:read:") {
            // qXfer:features:read:ANNEX:OFFSET,LENGTH
            let rest = text.dropFirst("qXfer:features:read:".count)
            guard let colon = rest.lastIndex(of: ":") else { return .malformed(reason: "qXfer: missing offset") }
            let annex = String(rest[rest.startIndex..<colon])
            var p = PacketParser(Array(rest[rest.index(after: colon)...].utf8)[...])
            guard let (offset, length) = p.offsetAndLength(), p.atEnd else { return .malformed(reason: "qXfer: bad offset,length") }
            return .readFeatures(annex: annex, offset: offset, length: length)
        }
        return .unsupported
    }

    static func parseVCont(_ text: String) -> Command {
        var actions: [VContAction] = []
        for item in text.dropFirst("vCont;".count).split(separator: ";", omittingEmptySubsequences: false) {
            var p = PacketParser(Array(item.utf8)[...])
            guard let letter = p.next() else { return .malformed(reason: "vCont: empty action") }
            let action: ResumeAction
            switch letter {
            case UInt8(ascii: "c"): action = .continue(signal: nil)
            case UInt8(ascii: "s"): action = .step(signal: nil)
            case UInt8(ascii: "C"), UInt8(ascii: "S"):
                guard let sig = p.hexByte() else { return .malformed(reason: "vCont: bad signal") }
                action = letter == UInt8(ascii: "C") ? .continue(signal: sig) : .step(signal: sig)
            default:
                // `t` (stop) is for non-stop mode, `r` (range step) we do not advertise.
                return .malformed(reason: "vCont: unsupported action \(Character(Unicode.Scalar(letter)))")
            }
            var selector = ThreadSelector.all
            if p.skip(UInt8(ascii: ":")) {
                guard let sel = p.threadSelector() else { return .malformed(reason: "vCont: bad thread-id") }
                selector = sel
            }
            guard p.atEnd else { return .malformed(reason: "vCont: trailing data in action") }
            actions.append(VContAction(action, selector))
        }
        return .vCont(actions)
    }
}

/// A cursor over packet bytes.
struct PacketParser {
    var bytes: ArraySlice<UInt8>
    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { bytes.isEmpty }
    var rest: ArraySlice<UInt8> { bytes }

    mutating func next() -> UInt8? { bytes.popFirst() }

    mutating func advance(_ n: Int) { bytes = bytes.dropFirst(n) }

    /// Consumes `c` if it is next.
    mutating func skip(_ c: UInt8) -> Bool {
        guard bytes.first == c else { return false }
        bytes = bytes.dropFirst()
        return true
    }

    /// A hex number running up to `terminator` (not consumed) or the end.
    mutating func number(upTo terminator: UInt8?) -> UInt64? {
        let end = terminator.flatMap { bytes.firstIndex(of: $0) } ?? bytes.endIndex
        guard let v = Hex.number(bytes[bytes.startIndex..<end]) else { return nil }
        bytes = bytes[end...]
        return v
    }

    /// Exactly two hex digits.
    mutating func hexByte() -> UInt8? {
        guard bytes.count >= 2, let hi = Hex.value(bytes[bytes.startIndex]),
              let lo = Hex.value(bytes[bytes.startIndex + 1]) else { return nil }
        bytes = bytes.dropFirst(2)
        return hi << 4 | lo
    }

    /// `ADDR,LENGTH` followed by `:` or the end.
    mutating func addressAndLength() -> (VirtualAddress, Int)? {
        guard let a = number(upTo: UInt8(ascii: ",")), skip(UInt8(ascii: ",")),
              let l = number(upTo: UInt8(ascii: ":")), l <= UInt64(Int32.max) else { return nil }
        return (VirtualAddress(a), Int(l))
    }

    mutating func offsetAndLength() -> (Int, Int)? {
        guard let o = number(upTo: UInt8(ascii: ",")), skip(UInt8(ascii: ",")),
              let l = number(upTo: nil), o <= UInt64(Int32.max), l <= UInt64(Int32.max) else { return nil }
        return (Int(o), Int(l))
    }

    /// A thread-id: `-1`, `0`, hex, or `pPID.TID` / `pPID`. Consumes up to the end or `;`.
    mutating func threadSelector() -> ThreadSelector? {
        if skip(UInt8(ascii: "p")) {
            // Process part: -1 or hex; then optional .TID.
            guard let pid = plainSelector(upTo: UInt8(ascii: ".")) else { return nil }
            if skip(UInt8(ascii: ".")) { return plainSelector(upTo: nil) }
            return pid == .any ? .any : .all
        }
        return plainSelector(upTo: nil)
    }

    private mutating func plainSelector(upTo terminator: UInt8?) -> ThreadSelector? {
        let stops: [UInt8] = [UInt8(ascii: ";")] + (terminator.map { [$0] } ?? [])
        let end = bytes.firstIndex(where: { stops.contains($0) }) ?? bytes.endIndex
        let field = bytes[bytes.startIndex..<end]
        bytes = bytes[end...]
        if field.elementsEqual("-1".utf8) { return .all }
        guard let v = Hex.number(field), v <= UInt64(Int32.max) else { return nil }
        return v == 0 ? .any : .thread(ThreadID(Int(v)))
    }
}
