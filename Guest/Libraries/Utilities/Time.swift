// Time.swift — time -p COMMAND [ARG…] (POSIX.1-2017 "time"): runs COMMAND, then writes "real",
// "user" and "sys" seconds with two decimals to standard error (POSIX's -p format, which this time
// writes with or without -p). Exit status: the command's; 127 when it cannot be found, 126 when
// it cannot be run, 125 without a command (GNU time's numbers). user/sys are the children's CPU
// times when the backend accounts them, 0.00 when not (the guest's kernel does not yet).

public enum Time {
    static func seconds(_ nanoseconds: UInt64) -> String {
        let hundredths = (nanoseconds + 5_000_000) / 10_000_000
        let fraction = hundredths % 100
        return String(hundredths / 100) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "time")
        // Options end at the first operand: the command's own options are its own.
        var i = 0
        while i < arguments.count, arguments[i].utf8.first == UInt8(ascii: "-"), arguments[i] != "-" {
            let option = arguments[i]
            i += 1
            if option == "--" { break }
            if option == "-p" || option == "--portability" { continue }
            console.usage(option.hasPrefix("--") ? "unrecognized option " + quoted(option)
                                                : "invalid option -- " + quoted(String(decoding: Array(option.utf8)[1...1], as: UTF8.self)))
            return 125
        }
        let command = Array(arguments[i...])
        guard let name = command.first else { console.usage("missing program to run"); return 125 }
        let before = io.childrenTimes()
        let start = io.monotonicNanoseconds()
        let status: Int32
        switch io.execute(command, environment: nil) {
        case .success(let s): status = s
        case .failure(let e):
            console.error("cannot run " + name, e)
            return e == .ENOENT ? 127 : 126
        }
        let real = io.monotonicNanoseconds() &- start
        var user: UInt64 = 0, system: UInt64 = 0
        if let before, let after = io.childrenTimes() {
            user = after.user &- before.user
            system = after.system &- before.system
        }
        io.writeError(Array(("real " + seconds(real) + "\nuser " + seconds(user) + "\nsys " + seconds(system) + "\n").utf8))
        return status
    }
}
