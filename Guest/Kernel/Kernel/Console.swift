// Console.swift — kernel console output, collected per line. Under swiftvm a line goes out with one
// OUT to SV_PORT_CONSOLE_WRITE (one VM exit per line: an exit costs 35–50 µs on PVM, HOST.md rule 7,
// and on PVM even `rep outsb` exits once per byte); elsewhere (QEMU) with `rep outsb` to the 16550.
import ABI
import Arch
import Platform

enum Console {
    // SAFETY (globals): set at boot or changed only by kernel code, which runs on one CPU with
    // interrupts off (HOST.md rule 3): accesses never overlap.
    nonisolated(unsafe) static var length = 0
    /// SV_BOOT_FLAG_CONSOLE_PORT: the VMM prints whole buffers.
    nonisolated(unsafe) static var usesConsolePort = false
    static let capacity = Int(SV_CONSOLE_WRITE_MAX)

    static func put(_ byte: UInt8) {
        let line = sv_console_line_buffer()!
        line[length] = byte
        length += 1
        if byte == UInt8(ascii: "\n") || length == capacity { flush() }
    }

    static func flush() {
        guard length > 0 else { return }
        if usesConsolePort {
            // SAFETY: entry.S reserves the header (4 bytes) right before the line buffer.
            let header = UnsafeMutableRawPointer(sv_console_write_header()!)
            header.storeBytes(of: UInt32(length), as: UInt32.self)
            sv_outl(UInt16(SV_PORT_CONSOLE_WRITE), UInt32(truncatingIfNeeded: UInt64(UInt(bitPattern: header)) - UInt64(SV_DIRECT_MAP_BASE)))
        } else {
            sv_outsb(UInt16(SV_PORT_SERIAL), sv_console_line_buffer(), UInt64(length))
        }
        length = 0
    }

    /// Output in bulk (the terminal server's): the line buffer leaves when full, not at each
    /// newline, so a screenful costs one VM exit per SV_CONSOLE_WRITE_MAX bytes.
    static func writeBatch(_ bytes: [UInt8]) {
        let line = sv_console_line_buffer()!
        for b in bytes {
            line[length] = b
            length += 1
            if length == capacity { flush() }
        }
    }

    /// SAFETY: callers pass a buffer valid for reading for the call (kernel data only).
    static func write(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes { put(b) }
    }

    static func write(_ text: StaticString) {
        text.withUTF8Buffer { for b in $0 { put(b) } }
    }
}

/// The error console: what programs write to fd 2. It goes to a second 16550 (COM2), which
/// swiftvm connects to its stderr, so the host can keep a program's stderr apart from its stdout;
/// on a machine without COM2 (QEMU by default) it goes to the console like stdout.
enum ErrorConsole {
    /// COM2's base port (the PC's standard address). Should move to sv_machine.h with the VMM's copy.
    static let port: UInt16 = 0x2f8
    /// The scratch register (offset 7): the classic probe for a UART — an absent port reads 0xff.
    static let scratch: UInt16 = port + 7
    // SAFETY (globals): as Console's, changed only by kernel code on one CPU with interrupts off.
    nonisolated(unsafe) static var probed = false
    nonisolated(unsafe) static var present = false

    static func write(_ bytes: [UInt8]) {
        if !probed {
            probed = true
            sv_outb(scratch, 0x5a)
            present = sv_inb(scratch) == 0x5a
        }
        guard present else {
            for b in bytes { Console.put(b) }
            return
        }
        // Whatever the console holds goes first, so stdout and stderr keep their order.
        Console.flush()
        // SAFETY: `bytes` is an array, alive and readable for the call.
        bytes.withUnsafeBufferPointer { sv_outsb(port, $0.baseAddress, UInt64($0.count)) }
    }
}

/// Kernel log line: "[kernel] …".
func log(_ message: String) {
    print("[kernel] " + message)
}

func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
