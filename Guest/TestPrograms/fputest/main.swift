// fputest — user programs compute with hardware floating point (SSE2), and the kernel keeps each
// process's FPU/SSE registers apart: the process forks, parent and child run the same chaotic
// recurrence from different seeds at the same time (yielding to each other between rounds, and
// preempted by the timer within them), and each prints the bit patterns it ends with. A single
// bit of one process's xmm registers leaking into the other's changes the result completely; the
// boot test (BootTests, bootFloatingPointStateIsPerProcess) computes the expected bits on the host.
//   fputest [ROUNDS]      rounds of 100 000 steps per lane (default 300: about 0.5 s, some 50 timer ticks)
import UserLib

/// Four lanes of the logistic map x ← r·x·(1−x) (chaotic for these r), all kept in registers
/// through a round; the same arithmetic as the host test's (IEEE 754 binary64, round to nearest,
/// no fused multiply-add: Swift never contracts a*b+c).
func run(seed: Double, rounds: Int) -> [UInt64] {
    var x0 = seed, x1 = seed + 0.125, x2 = seed + 0.25, x3 = seed + 0.375
    let r0 = 3.75, r1 = 3.8, r2 = 3.85, r3 = 3.9
    for _ in 0..<rounds {
        for _ in 0..<100_000 {
            x0 = r0 * x0 * (1 - x0)
            x1 = r1 * x1 * (1 - x1)
            x2 = r2 * x2 * (1 - x2)
            x3 = r3 * x3 * (1 - x3)
        }
        System.yield()   // let the other process run with its own register values
    }
    return [x0.bitPattern, x1.bitPattern, x2.bitPattern, x3.bitPattern]
}

func hex(_ values: [UInt64]) -> String {
    var s = ""
    for v in values { s += " " + String(v, radix: 16) }
    return s
}

func roundsArgument() -> Int {
    guard System.arguments.count > 1 else { return 300 }
    guard let n = Int(System.arguments[1]), n > 0, n <= 10_000 else {
        print("fputest: usage: fputest [ROUNDS]   (1 to 10000)")
        System.exit(2)
    }
    return n
}
let rounds = roundsArgument()

switch Unix.fork() {
case .failure(let e):
    print("fputest: fork failed: \(e.description)")
    System.exit(1)
case .success(0):
    let bits = run(seed: 0.1, rounds: rounds)
    print("fputest: child seed 0.1:" + hex(bits))
    System.exit(0)
case .success(let child):
    let bits = run(seed: 0.2, rounds: rounds)
    print("fputest: parent seed 0.2:" + hex(bits))
    guard case .success(let waited) = Unix.waitpid(child) else {
        print("fputest: waitpid failed")
        System.exit(1)
    }
    print("fputest: child exited \(waited.status.exited ? waited.status.exitCode : -1)")
    System.exit(0)
}
