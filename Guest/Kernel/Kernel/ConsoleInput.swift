// ConsoleInput.swift — keyboard input from the 16550 (SV_PORT_SERIAL): the receive interrupt on
// IOAPIC pin SV_IRQ_SERIAL fills a ring buffer; read(0, …) takes what is there or sleeps until
// something arrives. No line discipline: programs get bytes as typed and echo themselves (the shell).
import ABI
import Arch
import Platform
import KernelCore

enum ConsoleInput {
    static let capacity = 4096
    // SAFETY (globals): one CPU, and kernel code runs with interrupts off (HOST.md rule 3), so
    // kernel entries never overlap; the same holds for every `nonisolated(unsafe)` in the kernel.
    nonisolated(unsafe) static var buffer: [UInt8] = []
    nonisolated(unsafe) static var enabled = false

    static var vector: UInt64 { UInt64(SV_IRQ_VECTOR_BASE) + UInt64(SV_IRQ_SERIAL) }

    /// Receive interrupts on (UART IER bit 0, PC16550D), routed like the devices' pins. The pin is
    /// routed before the UART may raise it: the pin is edge-triggered, and an edge raised while
    /// nothing listens would leave the line high and no later edge would come.
    static func initialize() {
        buffer.reserveCapacity(capacity)
        enabled = true
        IOAPIC.route(pin: UInt32(SV_IRQ_SERIAL), vector: UInt32(vector))
        sv_outb(UInt16(SV_PORT_SERIAL) + 1, 0x01)
    }

    /// The UART interrupted: drain its receive FIFO (LSR bit 0 = data ready), then hand bytes to a
    /// waiting reader.
    static func interrupt() {
        LAPIC.endOfInterrupt()
        var typed: [UInt8] = []
        while sv_inb(UInt16(SV_PORT_SERIAL) + 5) & 1 != 0 {
            let byte = sv_inb(UInt16(SV_PORT_SERIAL))
            if typed.count < capacity { typed.append(byte) }
        }
        // With a terminal server attached (ConsoleServer.swift) the bytes are its input.
        if typed.isEmpty || kernel.forwardConsoleInput(typed) { return }
        // Beyond the capacity: dropped (typing faster than anyone reads).
        buffer += typed.prefix(capacity - buffer.count)
        if let reader = kernel.consoleReader { deliver(to: reader.user) }
        if !buffer.isEmpty { kernel.wakePollers() }
    }

    /// console_attach(endpoint) by `p`: what was typed while no server held the console (a
    /// restarting ttyd) is its first input, so no keystroke is lost across a restart.
    static func attach(_ p: Process, endpoint: Int) -> UInt64 {
        if case .failure(let e) = kernel.attachConsole(p, endpoint: endpoint) { return e.result }
        if !buffer.isEmpty, kernel.forwardConsoleInput(buffer) { buffer.removeAll(keepingCapacity: true) }
        return 0
    }

    /// read(0, buffer, length).
    static func read(_ t: UserThread, address: UInt64, length: UInt64) {
        guard length > 0 else { t.context.rax = 0; return }
        do { try t.userMemory.checkRange(address, length) } catch { t.context.rax = Syscalls.errno(SV_EFAULT); return }
        kernel.waitForConsole(t, address: address, length: length)
        if !buffer.isEmpty { deliver(to: t) }
    }

    /// Hands what is buffered (up to the length asked for) to the waiting reader `t`. The bytes
    /// leave the buffer now; they are stored into the reader's memory when it runs (a fault
    /// there is its EFAULT).
    static func deliver(to t: UserThread) {
        guard case .readingConsole(let address, let length) = t.blockReason, !buffer.isEmpty else { return }
        let n = min(Int(length), buffer.count)
        let bytes = Array(buffer.prefix(n))
        buffer.removeFirst(n)
        kernel.completeConsoleRead(t, bytes: bytes, at: address)
    }
}
