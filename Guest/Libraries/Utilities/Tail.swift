// Tail.swift — tail [-n [+]N] [-c [+]N] [-qvz] [-f [-s SECONDS]] [FILE…]: the last N lines or
// bytes, or from line or byte N on (+N). Memory: the last-N forms hold N lines (-n) or N bytes
// (-c); +N streams. Reads every input to its end (no seek yet: the guest's descriptors have no
// lseek for pipes anyway). -f keeps the files open and, every SECONDS (default 0.1: GNU waits on
// inotify, which the guest lacks, so a short poll stands in), prints what was appended, with a
// "==> NAME <==" header when the file changes; until killed. As GNU, -f is ignored for a
// standard input that is not a regular file (a pipe ends). -F (follow by name, reopening a
// replaced file) is not supported.
public enum Tail {
    static let specs = [
        OptionSpec("n", "lines", argument: true), OptionSpec("c", "bytes", argument: true),
        OptionSpec("q", "quiet"), OptionSpec("q", "silent", key: "quiet"), OptionSpec("v", "verbose"),
        OptionSpec("z", "zero-terminated"), OptionSpec("f", "follow"), OptionSpec("s", "sleep-interval", argument: true),
    ]

    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "tail")
        guard let parsed = console.options(obsoleteForm(arguments, program: "tail"), specs) else { return 1 }
        var bytes = false, fromStart = false
        var n: UInt64 = 10
        var headers: Bool? = nil
        var delimiter: UInt8 = 10
        var interval: UInt64 = 100_000_000
        let follow = parsed.has("follow")
        var followed: [OpenInput<IO.Source>] = []
        for (key, value) in parsed.options {
            switch key {
            case "lines", "bytes":
                var text = Substring(value)
                var plus = false
                if text.hasPrefix("+") { plus = true; text = text.dropFirst() }
                else if text.hasPrefix("-") { text = text.dropFirst() }
                guard let count = parseCount(String(text)) else {
                    console.error("invalid number of \(key): " + quoted(value))
                    return 1
                }
                bytes = key == "bytes"; fromStart = plus; n = count
            case "quiet": headers = false
            case "verbose": headers = true
            case "zero-terminated": delimiter = 0
            case "sleep-interval":
                guard let ns = seconds(value) else {
                    console.error("invalid number of seconds: " + quoted(value))
                    return 1
                }
                interval = ns
            default: break
            }
        }
        let names = parsed.operands.isEmpty ? ["-"] : parsed.operands
        let showHeaders = headers ?? (names.count > 1)
        var first = true
        for name in names {
            guard let input = console.openInput(name, reportAs: { "cannot open \(quoted($0)) for reading" }) else { continue }
            if showHeaders {
                console.put((first ? "" : "\n") + "==> " + (name == "-" ? "standard input" : name) + " <==\n")
            }
            first = false
            let failure: SystemError?
            switch (bytes, fromStart) {
            case (true, true): failure = skipBytes(n == 0 ? 0 : n - 1, input.source, &console)
            case (false, true): failure = skipLines(n == 0 ? 0 : n - 1, delimiter, input.source, &console)
            case (true, false): failure = lastBytes(n, input.source, &console)
            case (false, false): failure = lastLines(n, delimiter, input.source, &console)
            }
            if let failure { console.error("error reading " + quoted(name), failure) }
            if follow && failure == nil && (!input.isStandardInput || io.status(nil)?.isRegularFile == true) {
                followed.append(input)
            } else {
                input.close()
            }
            if console.writeFailed != nil { break }
        }
        if !followed.isEmpty && console.writeFailed == nil {
            followAppends(followed, headers: showHeaders, interval: interval, io, &console)
        }
        for input in followed { input.close() }
        return console.finish()
    }

    /// tail -f: prints what is appended to `inputs` (each read on from where the first pass
    /// ended), a header before a different file's bytes; returns when output fails (a closed
    /// pipe), else runs until the process is killed.
    static func followAppends<IO: SystemIO>(_ inputs: [OpenInput<IO.Source>], headers: Bool, interval: UInt64, _ io: IO,
                                            _ console: inout Console<IO>) {
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var shown = inputs.count - 1   // the last header printed was the last file's
        console.flush()
        while console.writeFailed == nil {
            var appended = false
            for (i, input) in inputs.enumerated() {
                guard case .success(let n) = input.source.read(into: &buffer), n > 0 else { continue }
                appended = true
                if headers && shown != i {
                    console.put("\n==> " + (input.isStandardInput ? "standard input" : input.name) + " <==\n")
                    shown = i
                }
                console.put(buffer[0..<n])
            }
            console.flush()
            if !appended && !io.sleep(nanoseconds: interval) { return }
        }
    }

    /// -s SECONDS: whole or decimal seconds ("1", ".25"), as nanoseconds.
    static func seconds(_ text: String) -> UInt64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.count <= 2, parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }) else { return nil }
        guard let whole = parts[0].isEmpty ? 0 : UInt64(parts[0]), whole < 1_000_000_000 else { return nil }
        var fraction: UInt64 = 0, scale: UInt64 = 100_000_000
        if parts.count == 2 {
            for digit in parts[1].utf8.prefix(9) { fraction += UInt64(digit - 48) * scale; scale /= 10 }
        }
        return whole * 1_000_000_000 + fraction
    }

    static func skipBytes<IO: ToolIO>(_ n: UInt64, _ source: IO.Source, _ out: inout Console<IO>) -> SystemError? {
        var skip = n
        return forEachChunk(source) { chunk in
            let drop = Int(min(UInt64(chunk.count), skip))
            skip -= UInt64(drop)
            out.put(chunk.dropFirst(drop))
            return out.writeFailed == nil
        }
    }

    static func skipLines<IO: ToolIO>(_ n: UInt64, _ delimiter: UInt8, _ source: IO.Source, _ out: inout Console<IO>) -> SystemError? {
        var skip = n
        return forEachChunk(source) { chunk in
            var start = chunk.startIndex
            while skip > 0, let end = chunk[start...].firstIndex(of: delimiter) {
                skip -= 1
                start = end + 1
            }
            if skip == 0 { out.put(chunk[start...]) }
            return out.writeFailed == nil
        }
    }

    /// A window of the last n bytes, trimmed when it grows to twice that (amortized copying).
    static func lastBytes<IO: ToolIO>(_ n: UInt64, _ source: IO.Source, _ out: inout Console<IO>) -> SystemError? {
        var window: [UInt8] = []
        let failure = forEachChunk(source) { chunk in
            window.append(contentsOf: chunk)
            if UInt64(window.count) > n && window.count > 2 * chunkSize { window.removeFirst(window.count - Int(n)) }
            return true
        }
        out.put(window.suffix(Int(min(n, UInt64(window.count)))))
        return failure
    }

    /// A ring of the last n lines.
    static func lastLines<IO: ToolIO>(_ n: UInt64, _ delimiter: UInt8, _ source: IO.Source, _ out: inout Console<IO>) -> SystemError? {
        guard n > 0 else {
            _ = forEachChunk(source) { _ in true }
            return nil
        }
        var ring: [[UInt8]] = []
        var oldest = 0
        var failure: SystemError? = nil
        var current: [UInt8] = []
        // Lines split on `delimiter` (newline, or NUL with -z).
        failure = forEachChunk(source) { chunk in
            var start = chunk.startIndex
            while let end = chunk[start...].firstIndex(of: delimiter) {
                current.append(contentsOf: chunk[start...end])
                start = end + 1
                if UInt64(ring.count) < n { ring.append(current) }
                else { ring[oldest] = current; oldest = (oldest + 1) % ring.count }
                current.removeAll(keepingCapacity: true)
            }
            current.append(contentsOf: chunk[start...])
            return true
        }
        if !current.isEmpty {
            if UInt64(ring.count) < n { ring.append(current) }
            else { ring[oldest] = current; oldest = (oldest + 1) % ring.count }
        }
        for i in 0..<ring.count { out.put(ring[(oldest + i) % ring.count]) }
        return failure
    }
}
