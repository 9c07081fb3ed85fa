// DebugTableValidationTests.swift — what the VMM reads from guest memory for the debugger is
// validated (the guest is hostile to the VMM): the kernel's process table (sv_debug_process), the
// page tables walked for a core file, and program names used to find symbol files on the host.
import ABI
import GuestMemory
import Testing
@testable import VMM

/// 1 MiB of guest RAM with a channel page at 0 and a process table at 0x1000.
func machine(_ entries: [sv_debug_process], count: UInt32? = nil, table: UInt64 = 0x1000) throws -> (GuestMemory, sv_debug_state) {
    let memory = try GuestMemory(size: 1 << 20)
    for (i, e) in entries.enumerated() {
        try memory.write(at: GuestAddress(table + UInt64(i * MemoryLayout<sv_debug_process>.stride)), bytes: withUnsafeBytes(of: e) { Array($0) })
    }
    var state = sv_debug_state()
    state.magic = SV_DEBUG_MAGIC
    state.process_table = table
    state.process_count = count ?? UInt32(entries.count)
    return (memory, state)
}

func entry(pid: Int32, name: [UInt8], cr3: UInt64 = 0x10000, state: UInt32 = UInt32(SV_DEBUG_PROCESS_READY)) -> sv_debug_process {
    var e = sv_debug_process()
    e.pid = pid
    e.parent_pid = 1
    e.state = state
    e.cr3 = cr3
    e.rip = 0x400000 + UInt64(UInt32(bitPattern: pid))
    e.cs = 0x33
    withUnsafeMutableBytes(of: &e.name) { b in for (i, c) in name.prefix(b.count).enumerated() { b[i] = c } }
    return e
}

@Suite struct DebugTableValidationTests {
    @Test func aWellFormedTableBecomesThreads() throws {
        let (memory, state) = try machine([entry(pid: 2, name: Array("fsd".utf8)), entry(pid: 1, name: Array("init".utf8))])
        let s = ProcessSnapshot.read(state, memory: memory)
        #expect(s.processes.map(\.pid) == [1, 2])
        #expect(s.processes.map(\.name) == ["init", "fsd"])
        #expect(s.process(2)?.registers.rip == 0x400002)
        #expect(s.process(2)?.registers.cr3 == 0x10000)
        #expect(s.process(2)?.description == "fsd, pid 2, ready")
    }

    @Test func hostileEntriesAreDroppedOrNeutralised() throws {
        let (memory, state) = try machine([
            entry(pid: 0, name: Array("zero".utf8)),                       // pid must be positive
            entry(pid: -5, name: Array("negative".utf8)),
            entry(pid: 3, name: Array("ok".utf8)),
            entry(pid: 3, name: Array("duplicate".utf8)),                  // second pid 3 dropped
            entry(pid: 4, name: Array("badstate".utf8), state: 99),        // unknown state dropped
            entry(pid: 5, name: [0x1b, UInt8(ascii: "["), 0xff, UInt8(ascii: "x")]),   // escape bytes → ?
            entry(pid: 6, name: [UInt8](repeating: UInt8(ascii: "a"), count: 32)),     // no NUL: bounded by the field
            entry(pid: 7, name: Array("far".utf8), cr3: 1 << 40),          // root outside RAM: no memory
            entry(pid: 8, name: Array("unaligned".utf8), cr3: 0xfffff),    // last page, still inside RAM: kept
        ])
        let s = ProcessSnapshot.read(state, memory: memory)
        #expect(s.processes.map(\.pid) == [3, 5, 6, 7, 8])
        #expect(s.process(3)?.name == "ok")
        #expect(s.process(5)?.name == "?[?x")
        #expect(s.process(6)?.name == String(repeating: "a", count: 32))
        #expect(s.process(7)?.cr3 == 0)
        #expect(s.process(8)?.cr3 == 0xfffff)
    }

    @Test func aCountPastTheLimitOrATableOutsideRAMReadsNothingBeyondIt() throws {
        // Count 2^32-1: clamped to SV_DEBUG_MAX_PROCESSES, and that table would run past RAM's end.
        let (memory, state) = try machine([entry(pid: 1, name: Array("init".utf8))], count: UInt32.max, table: (1 << 20) - 0x1000)
        #expect(ProcessSnapshot.read(state, memory: memory).processes.isEmpty)
        var outside = state
        outside.process_table = UInt64.max - 8
        outside.process_count = 1
        #expect(ProcessSnapshot.read(outside, memory: memory).processes.isEmpty)
    }

    @Test func theStoppedProcessIsTheOneWhoseAddressSpaceStopped() throws {
        var (memory, state) = try machine([entry(pid: 1, name: Array("init".utf8), cr3: 0x10000), entry(pid: 2, name: Array("hello".utf8), cr3: 0x20000)])
        state.user_mode = 1
        state.user_cr3 = 0x20000
        state.current_pid = 1          // spawn: the parent runs, the child is about to start
        #expect(ProcessSnapshot.read(state, memory: memory).stoppedPID == 2)
        state.user_mode = 0
        #expect(ProcessSnapshot.read(state, memory: memory).stoppedPID == 0)
        state.user_mode = 1
        state.current_pid = 77         // not in the table
        state.user_cr3 = 0x30000       // nobody's
        let s = ProcessSnapshot.read(state, memory: memory)
        #expect(s.currentPID == 0 && s.stoppedPID == 0)
        _ = memory
    }

    @Test func programNamesNeverLeaveTheSymbolDirectory() {
        for good in ["ls", "fsd", "a.b", "x_y-1"] { #expect(ProgramSymbols.isPlainName(good), "\(good)") }
        for bad in ["", ".", "..", "../etc/passwd", "a/b", "/abs", "sp ace", "a\u{0}b", String(repeating: "a", count: 256)] {
            #expect(!ProgramSymbols.isPlainName(bad), "\(bad)")
        }
    }

    @Test func aCyclicPageTableWalkIsBounded() {
        // A PML4 whose every entry points back at itself (present, user, writable): without a bound
        // the walk would visit 512^4 entries and report 2^35 "pages".
        let root: UInt64 = 0x1000
        let mappings = UserMappings.walk(root: root, userEnd: 1 << 47, entryBudget: 100_000) { _ in root | 7 }
        #expect(!mappings.isEmpty)
        #expect(mappings.count <= 100_000)
    }

    @Test func pageWalkPermissionsCombineLevels() {
        // PML4[0] → PDPT at 0x2000 (writable); PDPT[0] → PD at 0x3000; PD[0]: 2 MiB page, read-only, NX;
        // PD[1] → PT at 0x4000; PT[0]: 4 KiB writable, executable; PT[1]: not user (skipped).
        let nx: UInt64 = 1 << 63
        let table: [UInt64: UInt64] = [0x1000: 0x2000 | 7, 0x2000: 0x3000 | 7, 0x3000: 0x20_0000 | 0x85 | nx,
                                       0x3008: 0x4000 | 7, 0x4000: 0x5000 | 7, 0x4008: 0x6000 | 3]
        let m = UserMappings.walk(root: 0x1000, userEnd: 1 << 47) { table[$0] ?? 0 }
        #expect(m == [
            UserMapping(virtualAddress: 0, physicalAddress: 0x20_0000, size: 2 << 20, writable: false, executable: false),
            UserMapping(virtualAddress: 2 << 20, physicalAddress: 0x5000, size: 4096, writable: true, executable: true),
        ])
    }
}
