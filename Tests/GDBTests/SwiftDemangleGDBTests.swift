// SwiftDemangleGDBTests.swift — scripts/gdb/swiftvm.py in the real gdb: `bt` through Swift kernel
// frames shows demangled names (a frame filter using the Swift runtime's demangler).
import Foundation
import TestSupport
import Testing

@Test func gdbExtensionShowsSwiftFramesDemangled() throws {
    let source = RepositoryPaths.root.appendingPathComponent("Guest/Kernel/Kernel/Programs.swift").path
    let lines = try String(contentsOfFile: source, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    let declaration = try #require(lines.firstIndex { $0.contains("static func start(name: [UInt8]") })
    let line = declaration + 2
    let script = RepositoryPaths.root.appendingPathComponent("scripts/gdb/swiftvm.py").path
    let s = try GDBSession.run(commands: [
        "source \(script)",   // what `gdb -x scripts/gdb/swiftvm.py` does
        "break \(source):\(line)",
        "continue",
        "bt",
        "swift-demangle-name $e6KernelAAO23timerPeriodMillisecondss6UInt64VvpZ",
        "delete",
        "continue",
    ])
    let t = s.transcript
    #expect(t.contains("Programs.swift:\(line)"), "\(t)")
    #expect(t.range(of: #"#0 .*static Kernel\.Programs\.start\("#, options: .regularExpression) != nil, "\(t)")
    #expect(t.range(of: #"#\d+ .*Kernel\.kernelMain\("#, options: .regularExpression) != nil, "\(t)")
    // No backtrace frame keeps its mangled name; C frames (_start) are left as they are.
    let frames = t.split(separator: "\n").filter { $0.hasPrefix("#") }
    #expect(frames.count >= 3, "\(t)")
    #expect(!frames.contains { $0.contains("$e") }, "\(t)")
    #expect(t.contains("_start () at "))
    #expect(t.contains("static Kernel.Kernel.timerPeriodMilliseconds : Swift.UInt64"), "\(t)")
    #expect(s.vm.status == 0)
}
