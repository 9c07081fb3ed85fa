// PanicTest.swift — boot-test hook `test.panic-deep`: a kernel-mode page fault three Swift calls
// below kernel_main, so the host's symbolized panic backtrace has Swift frames to check against
// addr2line (Tests/BootTests/CrashReportTests.swift).
enum PanicTest {
    // Each caller uses its callee's result after the call, so no call becomes a tail call (a jmp
    // that would drop the frame from the rbp chain); @inline(never) keeps the three frames apart.
    @inline(never) static func outer(_ address: UInt64) -> UInt64 { middle(address &+ 8) &* 3 }
    @inline(never) static func middle(_ address: UInt64) -> UInt64 { inner(address &+ 8) &* 5 }
    @inline(never) static func inner(_ address: UInt64) -> UInt64 {
        // SAFETY: not safe on purpose: nothing is mapped this close to 0, so the write must fault
        // in kernel mode and end in a panic report.
        let bad = UnsafeMutablePointer<UInt64>(bitPattern: UInt(address))!
        bad.pointee = address
        return bad.pointee &+ 1
    }
}
