// Tee.swift — tee [-a] [-i] [-p] [FILE…]: standard input to standard output and to each FILE.
// Streams in chunks. A FILE that cannot be opened or written is reported and dropped; the rest go on.

public enum Tee {
    static let specs = [OptionSpec("a", "append"), OptionSpec("i", "ignore-interrupts"), OptionSpec("p", key: "p")]

    public static func run<IO: ToolIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "tee")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        var sinks: [(name: String, sink: IO.Sink)] = []
        for name in parsed.operands {
            switch io.create(name, append: parsed.has("append")) {
            case .success(let s): sinks.append((name, s))
            case .failure(let e): console.error(name, e)
            }
        }
        var dropped = [Bool](repeating: false, count: sinks.count)
        let failure = forEachChunk(io.standardInput()) { chunk in
            console.put(chunk)
            console.flush()   // tee passes data on as it arrives
            for (i, s) in sinks.enumerated() where !dropped[i] {
                if case .failure(let e) = s.sink.write(chunk) { console.error(s.name, e); dropped[i] = true }
            }
            return true
        }
        if let failure { console.error("read error", failure) }
        for s in sinks { s.sink.close() }
        return console.finish()
    }
}
