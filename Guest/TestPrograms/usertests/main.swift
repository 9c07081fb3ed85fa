// usertests — the kernel's user-mode guarantees, checked from user mode: forbidden accesses stop
// the offender (and only it), bad system-call arguments get error codes, address spaces are
// separate. Prints one line per case; exits 0 only if every case passed.
import UserLib

/// A secret in this process's memory; `crash peek` looks for it at the same address. A global on
/// purpose (a fixed address in the data segment); nonisolated(unsafe): one thread.
nonisolated(unsafe) var secret: UInt64 = 0

struct Case {
    let command: String
    /// The status wait() must return; nil for the isolation case (see below).
    let expectedStatus: Int?
    let why: String
}

func cases(secretAddress: UInt64) -> [Case] {
    [
        Case(command: "crash null-read", expectedStatus: 128 + 11, why: "null dereference: SIGSEGV"),
        Case(command: "crash kernel-read", expectedStatus: 128 + 11, why: "read of kernel text: not mapped"),
        Case(command: "crash kernel-write", expectedStatus: 128 + 11, why: "write to kernel data: not mapped"),
        Case(command: "crash kernel-exec", expectedStatus: 128 + 11, why: "jump into the kernel: not mapped"),
        Case(command: "crash privileged", expectedStatus: 128 + 11, why: "mov from cr3 in user mode: #GP"),
        Case(command: "crash halt", expectedStatus: 128 + 11, why: "hlt in user mode: #GP"),
        Case(command: "crash ud2", expectedStatus: 128 + 4, why: "invalid opcode: SIGILL"),
        Case(command: "crash syscall-pointers", expectedStatus: 0, why: "bad pointers and arguments get error codes"),
        Case(command: "crash peek \(String(secretAddress, radix: 16)) \(String(secret, radix: 16))", expectedStatus: nil,
             why: "another process cannot see this one's memory"),
        Case(command: "crash ipc", expectedStatus: 0, why: "IPC checks every pointer, length and lease; a dead server means EPIPE"),
        Case(command: "crash spawn-storm", expectedStatus: 0, why: "the process table is bounded: EAGAIN, not a kernel heap panic"),
        Case(command: "crash memory-hog", expectedStatus: 0, why: "memory runs out with ENOMEM, and comes back at exit"),
        Case(command: "hello", expectedStatus: 0, why: "the kernel is still fine"),
    ]
}

func runCases() -> (failures: Int, total: Int) {
    secret = System.timestamp() | 1
    // Deliberately raw: the test hands the kernel this address (a pointer it must check).
    let address = withUnsafePointer(to: &secret) { UInt64(UInt(bitPattern: $0)) }
    let all = cases(secretAddress: address)
    var failures = 0
    for c in all {
        let pid = System.spawn(c.command)
        guard pid > 0 else {
            print("usertests: FAIL \(c.command): spawn returned \(pid)")
            failures += 1
            continue
        }
        let status = System.wait(pid)
        // The isolation case passes if peek saw something else (0) or touched an unmapped page (SIGSEGV).
        let passed = c.expectedStatus.map { status == $0 } ?? (status == 0 || status == 128 + 11)
        print("usertests: \(passed ? "ok  " : "FAIL") \(c.command): status \(status) (\(c.why))")
        if !passed { failures += 1 }
    }
    return (failures, all.count)
}

let result = runCases()
print(result.failures == 0 ? "usertests: all \(result.total) passed" : "usertests: \(result.failures) of \(result.total) FAILED")
System.exit(result.failures == 0 ? 0 : 1)
