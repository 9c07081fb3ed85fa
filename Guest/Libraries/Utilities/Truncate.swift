// Truncate.swift — truncate -s [+-<>/%]SIZE | -r RFILE [-c] [-o] FILE…: sets each FILE's size
// (GNU coreutils): "+N"/"-N" grow or shrink by N, "<N" at most N, ">N" at least N, "/N" down
// and "%N" up to a multiple of N. A missing FILE is created unless -c. Growing leaves a hole (the
// file system's business: ftruncate through SystemIO.openOutput).

public enum Truncate {
    static let specs = [OptionSpec("c", "no-create"), OptionSpec("o", "io-blocks"), OptionSpec("r", "reference", argument: true),
                        OptionSpec("s", "size", argument: true)]

    enum Adjust { case set, grow, shrink, atMost, atLeast, roundDown, roundUp }

    /// GNU's size: digits and a multiplier (k K m M g G t T p P e E: powers of 1024, or of 1000
    /// with a "B" after the letter; "KiB" is 1024).
    static func size(_ text: String) -> (Adjust, Int64)? {
        var bytes = Array(text.utf8)[...]
        var adjust = Adjust.set
        switch bytes.first {
        case 43: adjust = .grow
        case 45: adjust = .shrink
        case 60: adjust = .atMost
        case 62: adjust = .atLeast
        case 47: adjust = .roundDown
        case 37: adjust = .roundUp
        default: break
        }
        if adjust != .set { bytes = bytes.dropFirst() }
        guard let first = bytes.first, (48...57).contains(first) else { return nil }
        var value: Int64 = 0
        while let b = bytes.first, (48...57).contains(b) {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(b - 48))
            guard !o1 && !o2 else { return nil }
            value = s
            bytes = bytes.dropFirst()
        }
        if let letter = bytes.first {
            // (a switch, not a dictionary: the guest's programs link no libm, which hashing needs)
            let power: Int
            switch letter | 0x20 {
            case 107: power = 1
            case 109: power = 2
            case 103: power = 3
            case 116: power = 4
            case 112: power = 5
            case 101: power = 6
            default: return nil
            }
            let rest = Array(bytes.dropFirst())
            let base: Int64
            switch rest {
            case []: base = 1024
            case Array("iB".utf8): base = 1024
            case Array("B".utf8): base = 1000
            default: return nil
            }
            for _ in 0..<power {
                let (m, o) = value.multipliedReportingOverflow(by: base)
                guard !o else { return nil }
                value = m
            }
        }
        return (adjust, value)
    }

    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "truncate")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        var request: (Adjust, Int64)? = nil
        if let text = parsed.last("size") {
            guard let r = size(text) else { console.error("Invalid number: " + quoted(text)); return 1 }
            request = r
        }
        var reference: Int64? = nil
        if let name = parsed.last("reference") {
            switch io.fullStatus(name, followLinks: true) {
            case .failure(let e): console.error("cannot stat " + quoted(name), e); return 1
            case .success(let s): reference = Int64(truncatingIfNeeded: s.size)
            }
        }
        guard request != nil || reference != nil else {
            console.usage("you must specify either " + quoted("--size") + " or " + quoted("--reference")); return 1
        }
        if reference != nil, let r = request, r.0 == .set {
            console.usage("you must specify a relative " + quoted("--size") + " with " + quoted("--reference")); return 1
        }
        if let r = request, (r.0 == .roundDown || r.0 == .roundUp) && r.1 == 0 { console.error("division by zero"); return 1 }
        guard !parsed.operands.isEmpty else { console.usage("missing file operand"); return 1 }
        for name in parsed.operands {
            var current: Int64 = 0
            var blockSize: Int64 = 1
            switch io.fullStatus(name, followLinks: true) {
            case .success(let s):
                current = Int64(truncatingIfNeeded: s.size)
                blockSize = max(1, Int64(truncatingIfNeeded: s.blockSize))
            case .failure(let e):
                if e == .ENOENT && parsed.has("no-create") { continue }
                if e != .ENOENT { console.error("cannot open " + quoted(name) + " for writing", e); continue }
            }
            let base = reference ?? current
            var amount = request?.1 ?? 0
            if parsed.has("io-blocks") { amount = amount.multipliedReportingOverflow(by: blockSize).partialValue }
            let target: Int64
            switch request?.0 ?? .grow {
            case .set: target = amount
            case .grow: target = base &+ amount
            case .shrink: target = max(0, base - amount)
            case .atMost: target = min(base, amount)
            case .atLeast: target = max(base, amount)
            case .roundDown: target = base / amount * amount
            case .roundUp: target = (base + amount - 1) / amount * amount
            }
            switch io.openOutput(name, offset: UInt64(max(0, target)), truncate: true) {
            case .success(let sink): sink.close()
            case .failure(let e): console.error("cannot open " + quoted(name) + " for writing", e)
            }
        }
        return console.finish()
    }
}
