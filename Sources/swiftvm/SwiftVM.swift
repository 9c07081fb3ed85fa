// SwiftVM.swift — the `swiftvm` command line: boot a guest (`run`) and the host tools.
import ArgumentParser
import VMM

@main
struct SwiftVM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftvm",
        abstract: "A KVM hypervisor for the swiftvm microkernel, and its host tools.",
        version: SwiftVMVersion.string,
        subcommands: [RunCommand.self, InitrdCommand.self, ImageCommand.self])

    /// Records the process start for `run --stats` before argument parsing, then runs the command.
    static func main() {
        RunStats.processStart = RunStats.now()
        main(nil)
    }
}
