// Dd.swift — dd [OPERAND…] (POSIX.1-2017 "dd"; GNU's messages and summary): copies if= (standard
// input) to of= (standard output) in blocks: ibs= bytes read at a time (512), obs= bytes written
// (512), bs= both and no reblocking (each block read is written as it is); skip= input blocks
// skipped, seek= output blocks left before the first write, count= input blocks copied;
// conv=notrunc,sync,noerror,ucase,lcase,fsync,fdatasync; iflag=fullblock,count_bytes,skip_bytes;
// oflag=seek_bytes; status=none|noxfer|progress. The
// "records in/out" summary goes to standard error as GNU prints it. Memory: one input block and
// one output block.

public enum Dd {
    struct Settings {
        var input: String? = nil, output: String? = nil
        var ibs = 512, obs = 512
        var blockSize: Int? = nil
        var skip: UInt64 = 0, seek: UInt64 = 0
        var count: UInt64? = nil
        var notrunc = false, sync = false, noerror = false, upper = false, lower = false
        var fullBlock = false
        /// iflag=count_bytes, skip_bytes, oflag=seek_bytes: count=, skip=, seek= in bytes, not blocks.
        var countBytes = false, skipBytes = false, seekBytes = false
        var status = "default"
    }

    /// The largest block accepted: dd holds one input and one output block (a small guest has
    /// tens of MiB in all).
    static var maxBlock: Int { 16 << 20 }

    /// GNU dd's numbers: decimal with c (1), w (2), b (512), K/M/G… (1024s), kB/MB… (1000s)
    /// suffixes, products with "x" ("2x512").
    static func number(_ text: String) -> UInt64? {
        // leading blanks are skipped, as strtoumax does ("count= 2")
        let text = String(text.drop { $0 == " " || $0 == "\t" })
        var product: UInt64 = 1
        for part in text.split(separator: "x", omittingEmptySubsequences: false) {
            let piece = String(part)
            let value: UInt64?
            if piece.hasSuffix("c") { value = parseDecimal(String(piece.dropLast())).map { UInt64($0) } }
            else if piece.hasSuffix("w") { value = parseDecimal(String(piece.dropLast())).map { UInt64($0) * 2 } }
            else { value = parseCount(piece) }
            guard let value else { return nil }
            let (p, overflow) = product.multipliedReportingOverflow(by: value)
            if overflow { return nil }
            product = p
        }
        return product
    }

    static func parse<IO: ToolIO>(_ arguments: [String], _ console: inout Console<IO>) -> Settings? {
        var s = Settings()
        for argument in arguments {
            let bytes = Array(argument.utf8)
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else {
                console.usage("unrecognized operand " + quoted(argument)); return nil
            }
            let key = String(decoding: bytes[..<equals], as: UTF8.self)
            let value = String(decoding: bytes[(equals + 1)...], as: UTF8.self)
            func size() -> UInt64? {
                guard let n = number(value) else { console.error("invalid number: " + quoted(value)); return nil }
                return n
            }
            func blockSize() -> Int? {
                guard let n = number(value), n > 0 else { console.error("invalid number: " + quoted(value)); return nil }
                // a block is allocated whole: past the cap, GNU's out-of-memory message, not a trap
                guard n <= UInt64(maxBlock) else {
                    console.error("memory exhausted by input buffer of size \(n) bytes (" + human(n, base: 1024) + ")"); return nil
                }
                return Int(n)
            }
            switch key {
            case "if": s.input = value
            case "of": s.output = value
            case "bs": guard let n = blockSize() else { return nil }; s.blockSize = n
            case "ibs": guard let n = blockSize() else { return nil }; s.ibs = n
            case "obs": guard let n = blockSize() else { return nil }; s.obs = n
            case "skip", "iseek": guard let n = size() else { return nil }; s.skip = n
            case "seek", "oseek": guard let n = size() else { return nil }; s.seek = n
            case "count": guard let n = size() else { return nil }; s.count = n
            case "cbs": guard blockSize() != nil else { return nil }   // only for conv=block/unblock (not done)
            case "conv":
                for flag in value.split(separator: ",") {
                    switch flag {
                    case "notrunc": s.notrunc = true
                    case "sync": s.sync = true
                    case "noerror": s.noerror = true
                    case "ucase": s.upper = true
                    case "lcase": s.lower = true
                    // the data reaches the file when the file is closed (the file server writes
                    // through), so there is nothing more to wait for
                    case "fsync", "fdatasync": break
                    default: console.usage("invalid conversion: " + quoted(String(flag))); return nil
                    }
                }
            case "iflag":
                for flag in value.split(separator: ",") {
                    switch flag {
                    case "fullblock": s.fullBlock = true
                    case "count_bytes": s.countBytes = true
                    case "skip_bytes": s.skipBytes = true
                    default: console.usage("invalid input flag: " + quoted(String(flag))); return nil
                    }
                }
            case "oflag":
                for flag in value.split(separator: ",") {
                    guard flag == "seek_bytes" else { console.usage("invalid output flag: " + quoted(String(flag))); return nil }
                    s.seekBytes = true
                }
            case "status":
                guard ["none", "noxfer", "progress"].contains(value) else { console.usage("invalid status level: " + quoted(value)); return nil }
                s.status = value
            default:
                console.usage("unrecognized operand " + quoted(argument)); return nil
            }
        }
        if s.upper && s.lower { console.error("cannot combine lcase and ucase"); return nil }
        if let bs = s.blockSize { s.ibs = bs; s.obs = bs }
        return s
    }

    /// Counts of whole and partial records, and bytes written.
    struct Totals {
        var fullIn: UInt64 = 0, partialIn: UInt64 = 0, fullOut: UInt64 = 0, partialOut: UInt64 = 0
        var bytes: UInt64 = 0
    }

    /// Where the output goes: standard output or a file opened at seek=.
    enum Destination<Sink: ByteSink> { case standardOutput, file(Sink) }

    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "dd")
        guard let s = parse(arguments, &console) else { return 1 }
        let start = io.monotonicNanoseconds()
        let inputName = s.input ?? "standard input"
        let source: IO.Source
        if let input = s.input {
            switch io.open(input) {
            case .success(let opened): source = opened
            case .failure(let e): console.error("failed to open " + quoted(input), e); return 1
            }
        } else {
            source = io.standardInput()
        }
        defer { if s.input != nil { source.close() } }
        var destination = Destination<IO.Sink>.standardOutput
        let (seekBytes, overflow) = s.seek.multipliedReportingOverflow(by: s.seekBytes ? 1 : UInt64(s.obs))
        if let output = s.output {
            guard !overflow else { console.error("invalid number: " + quoted(String(s.seek))); return 1 }
            switch io.openOutput(output, offset: seekBytes, truncate: !s.notrunc) {
            case .success(let sink): destination = .file(sink)
            case .failure(let e): console.error("failed to open " + quoted(output), e); return 1
            }
        } else if s.seek > 0 {
            // standard output cannot seek here: the skipped blocks are written as zeros
            var zeros = [UInt8](repeating: 0, count: min(Int(min(seekBytes, UInt64(Int.max))), chunkSize))
            var left = seekBytes
            while left > 0 {
                let n = Int(min(left, UInt64(zeros.count)))
                if case .failure(let e) = io.writeOutput(zeros[0..<n]) { console.error("error writing 'standard output'", e); return 1 }
                left -= UInt64(n)
            }
            zeros = []
        }
        let outputName = s.output ?? "standard output"
        var totals = Totals()
        var failed = false
        var block = [UInt8](repeating: 0, count: s.ibs)
        var pending: [UInt8] = []
        pending.reserveCapacity(s.obs)

        func write(_ bytes: ArraySlice<UInt8>) -> Bool {
            let r: Result<Void, SystemError>
            switch destination {
            case .standardOutput: r = io.writeOutput(bytes)
            case .file(let sink): r = sink.write(bytes)
            }
            if case .failure(let e) = r {
                if e != .EPIPE { console.error("error writing " + quoted(outputName), e) }
                failed = true
                return false
            }
            if bytes.count == s.obs { totals.fullOut += 1 } else { totals.partialOut += 1 }
            totals.bytes += UInt64(bytes.count)
            return true
        }


        // skip=: input blocks read and dropped (a pipe cannot seek; a file reads the same)
        var skipped: UInt64 = 0
        var ended = false
        if s.skipBytes {
            // skip= bytes: read exactly that many, the last read cut short
            var buffer: [UInt8] = []
            while skipped < s.skip {
                let want = Int(min(UInt64(s.ibs), s.skip - skipped))
                if buffer.count != want { buffer = [UInt8](repeating: 0, count: want) }
                switch read(source, into: &buffer, full: true) {
                case .failure(let e): console.error("error reading " + quoted(inputName), e); ended = true
                case .success(0): ended = true
                case .success(let got): skipped += UInt64(got)
                }
                if ended { break }
            }
        }
        while !s.skipBytes && skipped < s.skip {
            switch read(source, into: &block, full: s.fullBlock) {
            case .failure(let e): console.error("error reading " + quoted(inputName), e); ended = true
            case .success(0): ended = true
            case .success: skipped += 1
            }
            if ended { break }
        }
        if ended && skipped < s.skip {
            console.error((s.input.map { $0 } ?? quoted(inputName)) + ": cannot skip to specified offset")
            console.failed = false
        }
        var copied: UInt64 = 0, copiedBytes: UInt64 = 0
        while !ended && !failed && (s.count.map { s.countBytes ? copiedBytes < $0 : copied < $0 } ?? true) {
            var n: Int
            // count= bytes: the last block read is cut to what is left
            if s.countBytes, let count = s.count, count - copiedBytes < UInt64(block.count) {
                block = [UInt8](repeating: 0, count: Int(count - copiedBytes))
            }
            switch read(source, into: &block, full: s.fullBlock) {
            case .failure(let e):
                console.error("error reading " + quoted(inputName), e)
                if !s.noerror { failed = true; continue }
                totals.partialIn += 1
                if !s.sync { continue }
                n = 0
            case .success(0): ended = true; continue
            case .success(let got):
                n = got
                if n == s.ibs { totals.fullIn += 1 } else { totals.partialIn += 1 }
            }
            copied += 1
            copiedBytes += UInt64(n)
            if s.sync && n < s.ibs {
                if block.count < s.ibs { block += [UInt8](repeating: 0, count: s.ibs - block.count) }
                for i in n..<s.ibs { block[i] = 0 }
                n = s.ibs
            }
            if s.upper { for i in 0..<n where block[i] >= 97 && block[i] <= 122 { block[i] -= 32 } }
            if s.lower { for i in 0..<n where block[i] >= 65 && block[i] <= 90 { block[i] += 32 } }
            if s.blockSize != nil {
                // bs=: no reblocking, each block read is one record out
                if n > 0 { _ = write(block[0..<n]) }
            } else {
                pending.append(contentsOf: block[0..<n])
                var offset = 0
                while pending.count - offset >= s.obs && !failed {
                    _ = write(pending[offset..<(offset + s.obs)])
                    offset += s.obs
                }
                pending.removeFirst(offset)
            }
        }
        if !pending.isEmpty && !failed { _ = write(pending[...]) }
        if case .file(let sink) = destination { sink.close() }
        if failed { console.failed = true }
        if s.status != "none" {
            var report = "\(totals.fullIn)+\(totals.partialIn) records in\n\(totals.fullOut)+\(totals.partialOut) records out\n"
            if s.status != "noxfer" {
                report += transferLine(totals.bytes, nanoseconds: io.monotonicNanoseconds() &- start)
            }
            console.flush()
            io.writeError(Array(report.utf8))
        }
        return console.finish()
    }

    /// One read of a block; with iflag=fullblock, reads until the block is full or the input ends.
    static func read<Source: ByteSource>(_ source: Source, into block: inout [UInt8], full: Bool) -> Result<Int, SystemError> {
        if !full { return source.read(into: &block) }
        var filled = 0
        var scratch = [UInt8](repeating: 0, count: block.count)
        while filled < block.count {
            switch source.read(into: &scratch) {
            case .failure(let e): if filled == 0 { return .failure(e) } else { return .success(filled) }
            case .success(0): return .success(filled)
            case .success(let n):
                let take = min(n, block.count - filled)
                for i in 0..<take { block[filled + i] = scratch[i] }
                filled += take
                scratch = [UInt8](repeating: 0, count: block.count - filled)
                if scratch.isEmpty { break }
            }
        }
        return .success(filled)
    }

    /// GNU's third line: "N bytes (X kB, Y KiB) copied, T s, R kB/s" (the sizes in brackets from
    /// 1000 bytes on, the binary one from 1024, "1 byte copied" for one).
    public static func transferLine(_ bytes: UInt64, nanoseconds: UInt64) -> String {
        var line = bytes == 1 ? "1 byte" : "\(bytes) bytes"
        if bytes >= 1024 { line += " (" + human(bytes, base: 1000) + ", " + human(bytes, base: 1024) + ")" }
        else if bytes >= 1000 { line += " (" + human(bytes, base: 1000) + ")" }
        let ns = max(nanoseconds, 1)
        let micro = ns / 1000
        line += " copied, \(micro / 1_000_000)." + String(decoding: padded(Int(micro % 1_000_000), width: 6, pad: 48), as: UTF8.self) + " s, "
        // + 0.5 and truncation, not rounded(): that would call libm's round, which programs lack
        let rate = UInt64(min(Double(bytes) * 1e9 / Double(ns) + 0.5, 1.8e19))
        line += human(rate, base: 1000) + "/s\n"
        return line
    }

    /// GNU's human_readable with autoscale and rounding to the nearest: one decimal below 10
    /// ("4.9 KiB"), none from 10 ("66 kB"); "B" below the base.
    static func human(_ value: UInt64, base: UInt64) -> String {
        let units = base == 1000 ? ["kB", "MB", "GB", "TB", "PB", "EB"] : ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        if value < base { return "\(value) B" }
        var divisor = base
        var unit = 0
        while unit < units.count - 1 && value / divisor >= base { divisor *= base; unit += 1 }
        let tenths = (value + divisor / 20) / (divisor / 10)
        if tenths < 100 { return "\(tenths / 10).\(tenths % 10) " + units[unit] }
        let whole = (value + divisor / 2) / divisor
        if whole >= base && unit < units.count - 1 { return "1.0 " + units[unit + 1] }
        return "\(whole) " + units[unit]
    }
}
