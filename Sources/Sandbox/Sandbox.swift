// Sandbox.swift — seccomp filters for the VMM's threads (issue 16 §5, Firecracker's model): once a
// thread has finished its setup it loads the filter of its role, an allowlist of the system calls
// that role needs (Allowlists.swift), with the arguments checked where it matters (which ioctls,
// no writable or executable mappings the role never makes). Anything else raises SIGSYS, whose
// handler (CSandbox) prints one line naming the thread and the call and ends the VMM with 159.
//
// Filters are per thread: seccomp(2) attaches a filter to the calling thread only (without
// SECCOMP_FILTER_FLAG_TSYNC), and threads started later inherit their creator's filters, stacked
// with their own (every filter must allow a call). So each role loads its filter in its own
// thread, after the threads it starts are running.
import CSandbox
import Glibc

/// A thread of the VMM that runs under its own filter.
public enum SandboxedThread: String, CaseIterable, Sendable {
    /// The vCPU loop: KVM_RUN and the port/MMIO devices it dispatches to; after the guest stops it
    /// also writes the --stats report and the crash report (reading ELF files with libdw).
    case vcpu
    /// The virtio event loop: disk reads and writes, entropy, the virtio console's output.
    case virtio
    /// The console's input reader (stdin into the UART or the virtio console).
    case consoleInput = "console-input"
    /// The SIGWINCH follower (the terminal's size into the virtio console).
    case consoleResize = "console-resize"
    /// --timeout's watchdog (kicks the vCPU out of KVM_RUN).
    case watchdog
    /// The gdb stub: one socket, guest memory, the program symbols it reads for gdb.
    case gdb
    /// `swiftvm run`'s main thread once the vCPU thread is started: it waits for it, then writes
    /// the crash report, loading libdw with dlopen (read-only files, libraries' executable
    /// mappings) — the one list that allows executable memory, on the thread that runs no guest
    /// input.
    case supervisor
}

/// What a run may need beyond the roles' fixed lists.
public struct SandboxOptions: Sendable {
    /// --core-dir/--core: the vCPU thread creates core files.
    public var writesCoreFiles = false
    /// --gdb unix:PATH: the gdb thread removes its socket file when it stops.
    public var servesGDBOnUnixSocket = false
    public init(writesCoreFiles: Bool = false, servesGDBOnUnixSocket: Bool = false) {
        self.writesCoreFiles = writesCoreFiles
        self.servesGDBOnUnixSocket = servesGDBOnUnixSocket
    }
}

public struct SandboxError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

public enum Sandbox {
    /// Installs the SIGSYS reporter. Call once, before any thread loads a filter.
    public static func prepare() throws(SandboxError) {
        let rc = csandbox_install_reporter()
        guard rc == 0 else { throw SandboxError("the SIGSYS handler: \(String(cString: strerror(-rc)))") }
    }

    /// Loads `thread`'s filter on the calling thread. Irrevocable for this thread and the threads
    /// it starts afterwards.
    public static func enter(_ thread: SandboxedThread, options: SandboxOptions = SandboxOptions()) throws(SandboxError) {
        csandbox_set_role(thread.rawValue)
        try load(Allowlists.rules(for: thread, options: options), name: thread.rawValue)
    }

    /// Builds and loads a filter allowing exactly `rules`.
    static func load(_ rules: [SystemCallRule], name: String) throws(SandboxError) {
        guard let filter = seccomp_init(CSANDBOX_ACT_TRAP) else { throw SandboxError("seccomp_init failed") }
        defer { seccomp_release(filter) }
        for rule in rules {
            let number = seccomp_syscall_resolve_name(rule.name)
            guard number != __NR_SCMP_ERROR else { throw SandboxError("\(name): unknown system call \(rule.name)") }
            let comparisons = rule.conditions.map(\.comparison)
            let rc = comparisons.withUnsafeBufferPointer {
                seccomp_rule_add_array(filter, CSANDBOX_ACT_ALLOW, number, UInt32($0.count), $0.baseAddress)
            }
            guard rc == 0 else { throw SandboxError("\(name): the rule for \(rule.name): \(String(cString: strerror(-rc)))") }
        }
        let rc = seccomp_load(filter)
        guard rc == 0 else { throw SandboxError("\(name): seccomp_load: \(String(cString: strerror(-rc)))") }
    }

    /// The test-only `--sandbox-self-test`: a call no list allows, made from the calling thread.
    /// Returns only if the sandbox let it through.
    public static func makeForbiddenCall() {
        _ = csandbox_forbidden_call()
    }
}

/// One allowed system call, with the conditions on its arguments that must all hold (a call
/// with several rules is allowed if any rule's conditions hold).
struct SystemCallRule {
    let name: String
    let conditions: [ArgumentCondition]
    init(_ name: String, _ conditions: [ArgumentCondition] = []) {
        self.name = name
        self.conditions = conditions
    }
}

enum ArgumentCondition {
    /// Argument `index` equals `value`.
    case equals(index: UInt32, UInt64)
    /// Argument `index` with `mask` applied equals `value` (bits outside the mask are free).
    case masked(index: UInt32, mask: UInt64, equals: UInt64)

    var comparison: scmp_arg_cmp {
        switch self {
        case .equals(let index, let value):
            return scmp_arg_cmp(arg: index, op: SCMP_CMP_EQ, datum_a: value, datum_b: 0)
        case .masked(let index, let mask, let value):
            return scmp_arg_cmp(arg: index, op: SCMP_CMP_MASKED_EQ, datum_a: mask, datum_b: value)
        }
    }
}
