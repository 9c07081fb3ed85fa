// utilities-host — a test-only multi-call program: our utilities (Guest/Libraries/Utilities) run
// on the host over the unit tests' Glibc backend (HostBackend.swift and HostSystem.swift, linked
// here from Tests/UtilitiesTests), chosen by the name it is called by. Linked as `seq`, `sort`, …
// in a directory put first in PATH, it lets toybox's test files run against our code on the host
// in seconds (scripts/toybox/host-harness.sh) instead of in the guest at a second a case; the
// guest run (Tests/BootTests/ToyboxBootTests.swift) stays the judge.
// Standard output and error go straight to the descriptors; what a child (env's command, xargs's,
// find -exec's) writes is collected by HostIO and written when the utility returns, so it may
// come after the utility's own output (a difference from the guest, where children share them).
import Foundation
import Glibc
import Utilities

let arguments = CommandLine.arguments
let name = arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? ""
if name == "utilities-host" && arguments.dropFirst().first == "--names" {   // for the harness script: the names to link
    print(Utilities.names.joined(separator: "\n"))
    exit(0)
}
guard Utilities.names.contains(name) else {
    FileHandle.standardError.write(Data("utilities-host: '\(name)' is not one of our utilities\n".utf8))
    exit(127)
}
// SIGPIPE stays as it is: a closed pipe ends the process, as it ends GNU's and the guest's programs
let io = HostIO(directory: FileManager.default.currentDirectoryPath, standardInput: 0)
io.passthrough = (HostSink(1), HostSink(2))
io.environmentList = ProcessInfo.processInfo.environment.map { $0.key + "=" + $0.value }.sorted()
let status = Utilities.run(name, Array(arguments.dropFirst()), io)
// what children (env, xargs, find -exec) wrote, which HostIO.execute collects
_ = HostSink(1).write(io.stdout[...])
_ = HostSink(2).write(io.stderr[...])
exit(status)
