// Serial16550.swift — a 16550A UART as a pure state machine (no I/O, no KVM): the VMM feeds it port
// accesses and host input bytes; it emits output bytes and drives its interrupt line.
// Register map: PC16550D datasheet, "Table II: Register Summary".

/// A 16550A UART with a 16-byte receive FIFO and an always-empty transmitter.
public struct Serial16550 {
    /// Register offsets from the base port.
    enum Register: UInt16 {
        case data = 0          // RBR (read) / THR (write); DLL when LCR.DLAB
        case interruptEnable   // IER; DLM when LCR.DLAB
        case interruptId       // IIR (read) / FCR (write)
        case lineControl       // LCR
        case modemControl      // MCR
        case lineStatus        // LSR
        case modemStatus       // MSR
        case scratch           // SCR
    }

    static let ierReceivedData: UInt8 = 0x01
    static let ierTransmitterEmpty: UInt8 = 0x02
    static let lcrDLAB: UInt8 = 0x80
    static let lsrDataReady: UInt8 = 0x01
    static let lsrOverrun: UInt8 = 0x02
    static let lsrTHREmpty: UInt8 = 0x20
    static let lsrTransmitterEmpty: UInt8 = 0x40
    static let mcrLoop: UInt8 = 0x10
    static let iirNoInterrupt: UInt8 = 0x01
    static let iirTHREmpty: UInt8 = 0x02
    static let iirReceivedData: UInt8 = 0x04
    static let iirFIFOEnabled: UInt8 = 0xc0
    public static let fifoCapacity = 16
    /// COM2's base port: the second UART, output only (the guest's stderr; the kernel's
    /// Console.swift has the same number and probes it through the scratch register).
    public static let com2Base: UInt16 = 0x2f8

    var interruptEnable: UInt8 = 0
    var lineControl: UInt8 = 0x03     // 8N1
    var modemControl: UInt8 = 0x08    // OUT2
    var scratch: UInt8 = 0
    var divisor: UInt16 = 1           // 115200 baud
    var fifoEnabled = false
    var overrun = false
    /// Set when THR becomes empty with the THRE interrupt enabled; cleared by reading IIR or writing THR.
    var thrEmptyPending = false
    var receiveFIFO: [UInt8] = []

    public init() {}

    /// Whether the UART's interrupt output is asserted (level).
    public var interruptAsserted: Bool { pendingInterrupt != nil }

    /// Whether the receive FIFO has room for more host input.
    public var canAcceptInput: Bool { receiveFIFO.count < Serial16550.fifoCapacity }

    var pendingInterrupt: UInt8? {
        if interruptEnable & Serial16550.ierReceivedData != 0 && !receiveFIFO.isEmpty { return Serial16550.iirReceivedData }
        if interruptEnable & Serial16550.ierTransmitterEmpty != 0 && thrEmptyPending { return Serial16550.iirTHREmpty }
        return nil
    }

    /// A guest read of `offset` (0…7) from the base port.
    public mutating func read(offset: UInt16) -> UInt8 {
        let dlab = lineControl & Serial16550.lcrDLAB != 0
        switch Register(rawValue: offset & 7)! {
        case .data:
            if dlab { return UInt8(truncatingIfNeeded: divisor) }
            return receiveFIFO.isEmpty ? 0 : receiveFIFO.removeFirst()
        case .interruptEnable:
            return dlab ? UInt8(truncatingIfNeeded: divisor >> 8) : interruptEnable
        case .interruptId:
            let fifoBits = fifoEnabled ? Serial16550.iirFIFOEnabled : 0
            guard let id = pendingInterrupt else { return Serial16550.iirNoInterrupt | fifoBits }
            // Reading IIR while it reports THRE clears that source (datasheet, Table IV).
            if id == Serial16550.iirTHREmpty { thrEmptyPending = false }
            return id | fifoBits
        case .lineControl: return lineControl
        case .modemControl: return modemControl
        case .lineStatus:
            var lsr = Serial16550.lsrTHREmpty | Serial16550.lsrTransmitterEmpty
            if !receiveFIFO.isEmpty { lsr |= Serial16550.lsrDataReady }
            if overrun { lsr |= Serial16550.lsrOverrun; overrun = false }
            return lsr
        case .modemStatus:
            // Loopback maps MCR outputs to MSR inputs; otherwise report CTS, DSR and DCD asserted.
            if modemControl & Serial16550.mcrLoop != 0 {
                let m = modemControl
                return (m & 0x02) << 3 | (m & 0x01) << 5 | (m & 0x04) << 4 | (m & 0x08) << 4
            }
            return 0xb0
        case .scratch: return scratch
        }
    }

    /// A guest write of `value` to `offset`; returns the byte to transmit, if any.
    public mutating func write(offset: UInt16, value: UInt8) -> UInt8? {
        let dlab = lineControl & Serial16550.lcrDLAB != 0
        switch Register(rawValue: offset & 7)! {
        case .data:
            if dlab { divisor = divisor & 0xff00 | UInt16(value); return nil }
            // The transmitter is infinitely fast: THR is empty again at once.
            thrEmptyPending = interruptEnable & Serial16550.ierTransmitterEmpty != 0
            if modemControl & Serial16550.mcrLoop != 0 {
                receive(value)
                return nil
            }
            return value
        case .interruptEnable:
            if dlab { divisor = divisor & 0x00ff | UInt16(value) << 8; return nil }
            let enablingTHRE = value & Serial16550.ierTransmitterEmpty != 0 && interruptEnable & Serial16550.ierTransmitterEmpty == 0
            interruptEnable = value & 0x0f
            if enablingTHRE { thrEmptyPending = true }   // THR is empty, so the interrupt fires at once
        case .interruptId:   // FCR
            fifoEnabled = value & 0x01 != 0
            if value & 0x02 != 0 { receiveFIFO.removeAll() }
        case .lineControl: lineControl = value
        case .modemControl: modemControl = value & 0x1f
        case .lineStatus, .modemStatus: break   // read-only
        case .scratch: scratch = value
        }
        return nil
    }

    /// Host input: queues `byte` for the guest. Returns false (and flags an overrun) when the FIFO is full.
    @discardableResult
    public mutating func receive(_ byte: UInt8) -> Bool {
        guard canAcceptInput else { overrun = true; return false }
        receiveFIFO.append(byte)
        return true
    }
}
