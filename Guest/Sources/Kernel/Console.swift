// Console.swift — kernel console output on the 16550 at SV_PORT_SERIAL. Output is collected per
// line and sent with one `rep outsb` (one VM exit per line rather than per byte: an exit costs
// 35–50 µs on PVM, HOST.md rule 7).
import ABI
import Arch

enum Console {
    nonisolated(unsafe) static var length = 0
    static let capacity = 256

    static func put(_ byte: UInt8) {
        let line = sv_console_line_buffer()!
        line[length] = byte
        length += 1
        if byte == UInt8(ascii: "\n") || length == capacity { flush() }
    }

    static func flush() {
        guard length > 0 else { return }
        sv_outsb(UInt16(SV_PORT_SERIAL), sv_console_line_buffer(), UInt64(length))
        length = 0
    }

    static func write(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes { put(b) }
    }

    static func write(_ text: StaticString) {
        text.withUTF8Buffer { for b in $0 { put(b) } }
    }
}

/// Kernel log line: "[kernel] …".
func log(_ message: String) {
    print("[kernel] " + message)
}

func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
