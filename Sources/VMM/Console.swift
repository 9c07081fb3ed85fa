// Console.swift — the serial console's host side: guest output to stdout; stdin to the guest (raw
// mode when stdin is a terminal), with Ctrl-A x to quit and Ctrl-A Ctrl-A to send a literal Ctrl-A.
import Devices
import Glibc
import HostSupport
import KVM

final class Console: @unchecked Sendable {
    static let escapeByte: UInt8 = 0x01   // Ctrl-A
    let interactive: Bool
    let output: (@Sendable ([UInt8]) -> Void)?
    let lock = Monitor()
    // Guarded by `lock`.
    var pendingInput: [UInt8] = []
    var quitFlag = false
    var savedTerminal: termios? = nil
    /// With `--console virtio`: keystrokes go to the virtio-console device instead of the UART.
    var virtioInput: (@Sendable ([UInt8]) -> Void)? = nil

    init(interactive: Bool, output: (@Sendable ([UInt8]) -> Void)? = nil) {
        self.interactive = interactive
        self.output = output
    }

    var quitRequested: Bool {
        lock.withLock { quitFlag }
    }

    /// Starts reading stdin (if interactive) and puts a terminal into raw mode. Keystrokes kick the
    /// vCPU so they reach the UART without waiting for the guest's next port access.
    func start(kicker: VCPUKicker, threadStart: (@Sendable () -> Void)? = nil) {
        guard interactive else { return }
        if isatty(STDIN_FILENO) != 0 {
            var t = termios()
            if tcgetattr(STDIN_FILENO, &t) == 0 {
                savedTerminal = t
                Console.restoreOnExit = t
                atexit { Console.restoreTerminal() }
                // Input raw (no line editing, echo or signals); output processing stays on so "\n" is "\r\n".
                t.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
                t.c_iflag &= ~tcflag_t(IXON | ICRNL | INLCR | IGNCR | BRKINT)
                tcsetattr(STDIN_FILENO, TCSANOW, &t)
            }
        }
        // Detached: it blocks in read(2) until EOF and the process exits without waiting for it.
        spawnDetachedThread(name: "console-input") { [self] in
            threadStart?()
            var escaped = false
            var buffer = [UInt8](repeating: 0, count: 256)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
                if n <= 0 { return }   // EOF or error: no more input
                var accepted: [UInt8] = []
                var quit = false
                for b in buffer[0..<n] {
                    if escaped {
                        escaped = false
                        if b == UInt8(ascii: "x") { quit = true; break }
                        if b == Console.escapeByte { accepted.append(b) }
                        continue
                    }
                    if b == Console.escapeByte { escaped = true; continue }
                    accepted.append(b)
                }
                if let virtioInput, !accepted.isEmpty, !quit {
                    virtioInput(accepted)   // thread-safe; the device interrupts the guest itself
                    continue
                }
                lock.withLock {
                    pendingInput.append(contentsOf: accepted)
                    if quit { quitFlag = true }
                }
                kicker.kick()
                if quit { return }
            }
        }
    }

    func stop() { Console.restoreTerminal() }

    /// Moves buffered host input into the UART's FIFO, as far as it has room.
    func drainInput(into serial: inout Serial16550) {
        lock.withLock {
            var taken = 0
            while taken < pendingInput.count && serial.receive(pendingInput[taken]) { taken += 1 }
            pendingInput.removeFirst(taken)
        }
    }

    func write(_ bytes: [UInt8]) {
        if let output { output(bytes); return }
        bytes.withUnsafeBytes { b in
            var offset = 0
            while offset < b.count {
                let n = Glibc.write(STDOUT_FILENO, b.baseAddress! + offset, b.count - offset)
                if n <= 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }

    func flush() {}

    nonisolated(unsafe) static var restoreOnExit: termios? = nil
    static func restoreTerminal() {
        if var t = restoreOnExit {
            tcsetattr(STDIN_FILENO, TCSANOW, &t)
            restoreOnExit = nil
        }
    }
}
