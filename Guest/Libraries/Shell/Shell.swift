// Shell.swift — the shell's state (XCU 2.12 Shell Execution Environment): variables, positional
// parameters, functions, aliases, options, traps; and how it reports errors.
import Posix

/// How evaluation leaves its normal path: loop control, return, and exit (XCU 2.14).
public enum ShellInterrupt: Error {
    case breakLoop(Int)
    case continueLoop(Int)
    case returnFromFunction
    /// Leave the shell (or subshell) with this status: `exit`, or a fatal error already reported.
    case exit(Int32)
    /// An interactive shell abandons the command being run (a Ctrl-C: SIGINT without a trap).
    case interrupted
}

/// set options (XCU 2.14 set).
public struct ShellOptions {
    public var errexit = false, nounset = false, xtrace = false, noglob = false, noclobber = false
    public var allexport = false, noexec = false, verbose = false
    /// The letters `$-` shows, in dash's order (its option table read backwards).
    var flags: String {
        var s = ""
        if nounset { s += "u" }
        if allexport { s += "a" }
        if noclobber { s += "C" }
        if xtrace { s += "x" }
        if verbose { s += "v" }
        if noexec { s += "n" }
        if noglob { s += "f" }
        if errexit { s += "e" }
        return s
    }
}

struct Variable {
    var value: String?
    var exported = false
    var readonly = false
}

public final class Shell {
    var variables: [String: Variable] = [:]
    public var positional: [String] = []
    public var arg0: String
    var functions: [String: Command] = [:]
    var aliases: [String: String] = [:]
    /// $? — the status of the last command.
    public var status: Int32 = 0
    public var options = ShellOptions()
    /// trap actions by signal number; 0 is EXIT. An empty action means "ignore".
    var traps: [Int32: String] = [:]
    var lastBackgroundPID: Int32 = 0
    /// The job table (Jobs.swift): by number (slot + 1), and in current-job order (%+ first).
    var jobSlots: [Job?] = []
    var jobOrder: [Job] = []
    /// Job control is on (JobControl.swift): jobs get their own process groups and the terminal.
    var jobControl = false
    /// The terminal job control uses (close-on-exec, at 10 or above), -1 without job control.
    var terminalFD: Int32 = -1
    var shellProcessGroup: Int32 = 0
    var initialProcessGroup: Int32 = 0
    /// Each managed signal's disposition when the shell first looked (ignored ones stay so).
    var entryDispositions: [Int32: SignalDisposition] = [:]
    /// Signals whose disposition this shell changed (a subshell puts them back).
    var changedDispositions: Set<Int32> = []
    /// Signals that arrived and are not yet acted on, in number order.
    var pendingSignals: [Int32] = []
    /// "You have stopped jobs." was said for the last exit attempt.
    var warnedAboutStoppedJobs = false
    var localFrames: [[(name: String, saved: Variable?)]] = []
    var loopDepth = 0
    var functionDepth = 0
    var dotDepth = 0
    /// An interactive shell (runInteractive): errors end the command, not the shell.
    public var isInteractive = false
    /// `exit` was run (as opposed to a fatal error), so even an interactive shell leaves.
    var exitRequested = false
    /// True in a forked child (subshell, pipeline stage, substitution).
    var isSubshell = false
    let shellPID: Int32
    var currentLine = 0
    var commandPathCache: [String: String] = [:]
    var getoptsNextChar = 0
    var getoptsIndex = 1
    var inTrap = false
    /// The status of the last command substitution in the current simple command.
    var substitutionStatus: Int32?
    /// Set in a child that runs one simple command: exec it without another fork.
    var execDirectly = false
    /// Set by `exec` without a command: its redirections are not undone.
    var keepRedirections = false
    /// Whether the builtin being run was called where `set -e` is off (for eval, ., functions).
    var testedContext = false
    /// The assignments before the special builtin being run (exec passes them to the command).
    var specialBuiltinAssignments: [(name: String, value: String)] = []

    public init(arg0: String, arguments: [String]) {
        self.arg0 = arg0
        self.positional = arguments
        self.shellPID = Posix.getpid()
        // Start with no signal blocked, whatever the parent left (dash: sigclearmask), so that
        // trapped signals are delivered.
        _ = try? Posix.sigprocmask(SIG_SETMASK, [])
        for entry in Posix.environment() {
            let b = Array(entry.utf8)
            guard let eq = b.firstIndex(of: 61) else { continue }
            let name = String(decoding: b[..<eq], as: UTF8.self)
            guard isValidName(name) else { continue }
            variables[name] = Variable(value: String(decoding: b[(eq + 1)...], as: UTF8.self), exported: true)
        }
        if variables["IFS"] == nil { variables["IFS"] = Variable(value: " \t\n") } else { variables["IFS"]?.value = " \t\n" }
        // Without PATH in the environment, dash's default search path (its var.c defpathvar,
        // not exported), so a shell started with an empty environment still finds /bin.
        if variables["PATH"] == nil { variables["PATH"] = Variable(value: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin") }
        if variables["PS1"] == nil { variables["PS1"] = Variable(value: Posix.geteuid() == 0 ? "# " : "$ ") }
        if variables["PS2"] == nil { variables["PS2"] = Variable(value: "> ") }
        if variables["PS4"] == nil { variables["PS4"] = Variable(value: "+ ") }
        variables["OPTIND"] = Variable(value: "1")
        // PWD: keep an inherited value only if it names the current directory (XCU cd, dash).
        if let cwd = try? Posix.getcwd() {
            var keep = false
            if let pwd = variables["PWD"]?.value, pwd.utf8.first == 47,
               let a = try? Posix.stat(pwd), let b = try? Posix.stat(".") { keep = a.dev == b.dev && a.ino == b.ino }
            if !keep { variables["PWD"] = Variable(value: cwd, exported: variables["PWD"]?.exported ?? true) }
        }
        variables["PPID"] = Variable(value: String(Posix.getppid()))
    }

    // MARK: variables

    func value(_ name: String) -> String? { variables[name]?.value }

    /// Assigns a variable; false (with a message) if it is read-only.
    @discardableResult
    func setVariable(_ name: String, _ value: String, export: Bool = false) -> Bool {
        // One hash lookup, and the variable changed where it is stored (a loop assigns on every
        // iteration).
        if let index = variables.index(forKey: name) {
            if variables.values[index].readonly { reportError("\(name): is read only"); return false }
            variables.values[index].value = value
            if export || options.allexport { variables.values[index].exported = true }
        } else {
            variables[name] = Variable(value: value, exported: export || options.allexport)
        }
        if name == "PATH" { commandPathCache.removeAll() }
        if name == "OPTIND" { getoptsIndex = Int(value) ?? 1; getoptsNextChar = 0 }
        return true
    }

    /// Assigns a variable from outside the shell (a program setting a default such as PS1).
    public func assign(_ name: String, _ value: String) { setVariable(name, value) }

    /// Assigns or exits the shell (XCU 2.8.1: assignment to a read-only variable is fatal).
    func assignOrFail(_ name: String, _ value: String) throws(ShellInterrupt) {
        if !setVariable(name, value) { throw .exit(2) }
    }

    // MARK: output

    /// Writes all of `bytes` to `fd`; false if the write failed.
    @discardableResult
    func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var rest = bytes[...]
        while !rest.isEmpty {
            guard let n = try? Posix.write(fd, Array(rest)), n > 0 else { return false }
            rest = rest.dropFirst(n)
        }
        return true
    }
    @discardableResult
    func out(_ s: String) -> Bool { write(1, Array(s.utf8)) }

    /// An error message as dash words it: "sh: LINE: message".
    func reportError(_ message: String) {
        write(2, Array("\(arg0): \(currentLine): \(message)\n".utf8))
    }
}
