// hello — the first ring-3 program: prints, asks the kernel who it is, exits 0.
import UserLib

let pid = System.getpid()
print("Hello from ring 3: a Swift program in user mode, pid \(pid).")
