// hello — the first ring-3 program: prints, asks the kernel who it is, exits 0.
//   hello [quiet]     quiet: print nothing (the spawn benchmark starts it many times)
import UserLib

let pid = System.getpid()
if !System.arguments.contains("quiet") {
    print("Hello from ring 3: a Swift program in user mode, pid \(pid).")
}
