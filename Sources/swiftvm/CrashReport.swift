// CrashReport.swift — `swiftvm run` reads the console as it passes by and keeps what a crash report
// needs: the kernel's panic backtrace (Guest/Kernel/Kernel/Panic.swift) and the rip of each user
// program the kernel killed (Traps.swift). After the guest stops, the addresses are symbolized
// against the unstripped ELFs; libdw is loaded only then (Symbolizer dlopens it).
import Glibc
import HostSupport
import Symbolizer

/// What the console showed of a crash. Only addresses and names are kept, never the console text.
struct CrashEvidence {
    /// The panic's faulting rip (if a trap) followed by the return addresses, in console order.
    var kernelBacktrace: [UInt64] = []
    var kernelPanicked = false
    /// Programs killed by a fault: (program name, rip, then the return addresses the kernel walked).
    var userFaults: [(name: String, frames: [UInt64])] = []

    /// Bounds: a guest that prints endless "backtrace:" lines must not grow the VMM.
    static let maximumFrames = 64, maximumFaults = 16, maximumLine = 4096

    mutating func scan(line: Substring) {
        if line.contains("[kernel] PANIC:") {
            kernelPanicked = true
            kernelBacktrace = []
            return
        }
        // "  user backtrace: 0x…" lines follow the kill line of the fault they belong to.
        if let range = line.firstRange(of: "user backtrace: 0x"), !userFaults.isEmpty,
           let address = UInt64(line[range.upperBound...].prefix { $0.isHexDigit }, radix: 16) {
            if userFaults[userFaults.count - 1].frames.count < CrashEvidence.maximumFrames {
                userFaults[userFaults.count - 1].frames.append(address)
            }
            return
        }
        if kernelPanicked, let range = line.firstRange(of: "backtrace: 0x"),
           let address = UInt64(line[range.upperBound...].prefix { $0.isHexDigit }, radix: 16),
           kernelBacktrace.count < CrashEvidence.maximumFrames {
            kernelBacktrace.append(address)
            return
        }
        // "pid N (NAME): page fault …, rip 0x…, error 0x… — killed (signal 11)"
        if line.contains(" — killed"), let pid = line.firstRange(of: "pid "), let open = line[pid.upperBound...].firstIndex(of: "("),
           let close = line[open...].firstRange(of: "): "), let rip = line.firstRange(of: ", rip 0x"),
           let address = UInt64(line[rip.upperBound...].prefix { $0.isHexDigit }, radix: 16),
           userFaults.count < CrashEvidence.maximumFaults {
            let name = lastPathComponent(String(line[line.index(after: open)..<close.lowerBound]))
            userFaults.append((name, [address]))
        }
    }
}

/// Splits console bytes into lines for `CrashEvidence`; called from the vCPU thread and read after
/// the guest stops, hence the mutex.
final class CrashWatcher: Sendable {
    private struct State {
        var line: [UInt8] = []
        var evidence = CrashEvidence()
    }
    private let state = PthreadLocked(State())

    func feed(_ bytes: [UInt8]) {
        state.withLock { s in
            for b in bytes {
                if b == UInt8(ascii: "\n") {
                    let text = String(decoding: s.line, as: UTF8.self)
                    s.evidence.scan(line: Substring(text))
                    s.line.removeAll(keepingCapacity: true)
                } else if b != UInt8(ascii: "\r") && s.line.count < CrashEvidence.maximumLine {
                    s.line.append(b)
                }
            }
        }
    }

    var evidence: CrashEvidence { state.withLock { $0.evidence } }
}

enum CrashReport {
    /// The symbolized report for stderr, or nil if nothing crashed. `kernelELF` is the unstripped
    /// kernel; `programELF(name)` finds a user program's ELF.
    static func render(_ evidence: CrashEvidence, kernelELF: String?, programELF: (String) -> String?) -> String? {
        var out = ""
        if evidence.kernelPanicked && !evidence.kernelBacktrace.isEmpty {
            if let kernelELF {
                out += frames("kernel panic", evidence.kernelBacktrace, elf: kernelELF)
            } else {
                out += "swiftvm: kernel panic: no unstripped kernel.elf matching the booted kernel to symbolize with (use --symbols DIR)\n"
            }
        }
        for fault in evidence.userFaults {
            if let elf = programELF(fault.name) {
                out += frames("\(fault.name) killed", fault.frames, elf: elf)
            } else {
                out += "swiftvm: \(fault.name) killed: no \(fault.name).elf to symbolize with (use --symbols DIR)\n"
            }
        }
        return out.isEmpty ? nil : out
    }

    private static func frames(_ what: String, _ addresses: [UInt64], elf: String) -> String {
        let symbolizer: Symbolizer
        do {
            symbolizer = try Symbolizer(elf: elf)
        } catch {
            return "swiftvm: \(what): cannot symbolize: \(error)\n"
        }
        var out = "swiftvm: \(what), backtrace (\(elf)):\n"
        for (i, address) in addresses.enumerated() {
            out += "  #\(i) " + symbolizer.symbolize(address).description + "\n"
        }
        return out
    }
}

/// Where a crash's unstripped ELFs are: `--symbols DIR`, else next to the booted file, next to the
/// swiftvm binary (build/swiftvm sits beside build/kernel.elf), and ./build.
enum CrashSymbols {
    static func directories(explicit: String?, booted: String) -> [String] {
        if let explicit { return [explicit] }
        var dirs: [String] = []
        func parent(_ path: String) -> String {
            guard let slash = path.lastIndex(of: "/") else { return "." }
            return slash == path.startIndex ? "/" : String(path[..<slash])
        }
        dirs.append(parent(booted))
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        // SAFETY: readlink writes at most count - 1 bytes, so the result stays NUL-terminated.
        let n = buffer.withUnsafeMutableBufferPointer { readlink("/proc/self/exe", $0.baseAddress!, $0.count - 1) }
        if n > 0 { dirs.append(parent(String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self))) }
        dirs.append("build")
        return dirs
    }

    /// The first `name` in `directories`; with `matching`, only a file whose loadable bytes are
    /// the booted kernel's (the image's copy is the same file, unstripped, as `make` builds it).
    static func find(_ name: String, in directories: [String], matching: FileFingerprint?) -> String? {
        for dir in directories {
            let path = dir + "/" + name
            guard fileExists(path) else { continue }
            if let matching {
                guard let bytes = try? readFile(path), FileFingerprint(bytes) == matching else { continue }
            }
            return path
        }
        return nil
    }
}

/// Which file a run booted, kept instead of its bytes (a kernel is megabytes of RSS for the whole
/// run): the size and a 64-bit FNV-1a hash. It picks the matching unstripped kernel.elf among a
/// few candidates for symbols; nobody forges one, so a non-cryptographic hash is enough.
struct FileFingerprint: Equatable {
    let size: Int
    let hash: UInt64

    init(_ bytes: [UInt8]) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        size = bytes.count
        hash = h
    }
}
