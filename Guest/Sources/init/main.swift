// init — the first process. Runs `hello`, and when someone is at the console (the kernel passes
// `interactive`: swiftvm's stdin is a terminal) the shell; the machine powers off when init exits,
// with the shell's status (or 0 when hello did as expected).
import UserLib

func run(_ command: String) -> Int {
    let child = System.spawn(command)
    guard child > 0 else {
        print("init: cannot start \(command) (error \(child))")
        return 1
    }
    return System.wait(child)
}

print("init: starting hello")
let status = run("hello")
print("init: hello exited with status \(status)")
if System.arguments.contains("interactive") {
    System.exit(Int32(truncatingIfNeeded: run("sh")))
}
System.exit(status == 0 ? 0 : 1)
