// Uname.swift — uname [-asnrvmpio] (POSIX.1-2017 "uname"; GNU's -p -i -o): the system's names from
// the backend (uname(2) on the host; in the guest, the values GuestIO documents). The fields print
// in uname(2)'s order whatever the order of the options; -a leaves out -p and -i when they are
// "unknown", as GNU does.

public enum Uname {
    static let specs = [
        OptionSpec("a", "all"), OptionSpec("s", "kernel-name"), OptionSpec("n", "nodename"),
        OptionSpec("r", "kernel-release"), OptionSpec("v", "kernel-version"), OptionSpec("m", "machine"),
        OptionSpec("p", "processor"), OptionSpec("i", "hardware-platform"), OptionSpec("o", "operating-system"),
    ]

    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "uname")
        guard let parsed = console.options(arguments, specs) else { return 1 }
        if let extra = parsed.operands.first { console.usage("extra operand " + quoted(extra)); return 1 }
        let all = parsed.has("all")
        let keys = ["kernel-name", "nodename", "kernel-release", "kernel-version", "machine", "processor", "hardware-platform", "operating-system"]
        var wanted = keys.map { all || parsed.has($0) }
        if !wanted.contains(true) { wanted[0] = true }
        let names = io.systemNames()
        // Linux has no portable source for the processor and platform: GNU prints "unknown".
        let values = [names.system, names.node, names.release, names.version, names.machine, "unknown", "unknown", names.operatingSystem]
        var fields: [String] = []
        for (i, value) in values.enumerated() where wanted[i] {
            if all && (i == 5 || i == 6) && value == "unknown" { continue }
            fields.append(value)
        }
        console.put(fields.joined(separator: " "))
        console.put(10)
        return console.finish()
    }
}
