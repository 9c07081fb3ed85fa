// init — the first process. For now: run `hello`, report how it ended, power the machine off with
// status 0 when everything went as expected (the kernel powers off when init exits).
import UserLib

print("init: starting hello")
let child = System.spawn("hello")
guard child > 0 else {
    print("init: cannot start hello (error \(child))")
    System.exit(1)
}
let status = System.wait(child)
print("init: hello (pid \(child)) exited with status \(status)")
System.exit(status == 0 ? 0 : 1)
