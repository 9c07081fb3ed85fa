// HardwareKVMDebugTests.swift — the half of the VMM's debugger that only hardware KVM runs (issue 15
// §4): on PVM a resume from a KVM stop never meets a working KVM_SET_GUEST_DEBUG or debug register,
// so it is driven here against a fake vCPU that records what the debugger asks of KVM. What it must
// ask (KVM api.rst, KVM_SET_GUEST_DEBUG and KVM_SET_DEBUGREGS; SDM Vol. 3 §17.2.4 for DR7): a single
// step is ENABLE|SINGLESTEP and nothing else, a continue clears the controls, the hardware
// breakpoints and watchpoints gdb planted are the guest's DR0–DR3 with their DR7 enable, R/W and LEN
// bits (bit 10 reads as 1), and from a debug-channel stop the kernel steps, not KVM.
import ABI
import CKVM
import GDBStub
import GuestMemory
import KVM
import Synchronization
import Testing
@testable import VMM

/// A vCPU that keeps what the debugger set; registers read as zero.
final class RecordingVCPU: VCPUDebugAccess {
    let guestDebug = Mutex<[kvm_guest_debug]>([])
    let debugRegisterWrites = Mutex<[kvm_debugregs]>([])

    func registers() throws(KVMError) -> kvm_regs { kvm_regs() }
    func setRegisters(_ regs: kvm_regs) throws(KVMError) {}
    func specialRegisters() throws(KVMError) -> kvm_sregs { kvm_sregs() }
    func readMSR(_ index: UInt32) throws(KVMError) -> UInt64? { 0 }
    func debugRegisters() throws(KVMError) -> kvm_debugregs { debugRegisterWrites.withLock { $0.last } ?? kvm_debugregs() }
    func setDebugRegisters(_ d: kvm_debugregs) throws(KVMError) { debugRegisterWrites.withLock { $0.append(d) } }
    func setGuestDebug(_ debug: kvm_guest_debug) throws(KVMError) { guestDebug.withLock { $0.append(debug) } }
}

@Suite struct HardwareKVMDebugTests {
    let enableAndStep = UInt32(KVM_GUESTDBG_ENABLE) | UInt32(KVM_GUESTDBG_SINGLESTEP)

    func debugger(_ vcpu: RecordingVCPU, hardwareBreakpointsWork: Bool = true) throws -> GuestDebugger {
        GuestDebugger(memory: try GuestMemory(size: 1 << 20), vcpu: vcpu, kick: {}, hardwareBreakpointsWork: hardwareBreakpointsWork)
    }

    @Test func aStepFromAKVMStopIsKVMsSingleStepAndAContinueClearsIt() throws {
        let vcpu = RecordingVCPU()
        let d = try debugger(vcpu)
        d.apply(.step(signal: nil), to: .kvm)
        d.apply(.continue(signal: nil), to: .kvm)
        let controls = vcpu.guestDebug.withLock { $0.map(\.control) }
        #expect(controls == [enableAndStep, 0])
    }

    @Test func plantedHardwareBreakpointsAndWatchpointsBecomeTheGuestsDebugRegisters() throws {
        let vcpu = RecordingVCPU()
        let d = try debugger(vcpu)
        let thread = ThreadID(1)
        #expect(d.insertBreakpoint(Breakpoint(kind: .hardware, address: VirtualAddress(0xffff_ffff_8000_1000), length: 1), thread: thread) == .ok)
        #expect(d.insertBreakpoint(Breakpoint(kind: .writeWatch, address: VirtualAddress(0x2000), length: 8), thread: thread) == .ok)
        #expect(d.insertBreakpoint(Breakpoint(kind: .accessWatch, address: VirtualAddress(0x3000), length: 4), thread: thread) == .ok)
        #expect(d.insertBreakpoint(Breakpoint(kind: .readWatch, address: VirtualAddress(0x4000), length: 4), thread: thread) == .unsupported,
                "x86 has no read-only watch: gdb falls back to an access watchpoint")
        #expect(d.insertBreakpoint(Breakpoint(kind: .writeWatch, address: VirtualAddress(0x5000), length: 3), thread: thread)
                == .failed(.rejected("watch length 3")))
        d.apply(.continue(signal: nil), to: .kvm)
        let set = try #require(vcpu.debugRegisterWrites.withLock { $0.last })
        #expect([set.db.0, set.db.1, set.db.2] == [0xffff_ffff_8000_1000, 0x2000, 0x3000])
        // DR7: L0 (bit 0), L1 (bit 2), L2 (bit 4); R/W0 00 execute, LEN0 00; R/W1 01 write, LEN1 10
        // (8 bytes); R/W2 11 read/write, LEN2 11 (4 bytes); bit 10 is reserved as 1.
        let expected: UInt64 = 1 << 0 | 1 << 2 | 1 << 4 | 0b01 << 20 | 0b10 << 22 | 0b11 << 24 | 0b11 << 26 | 0x400
        #expect(set.dr7 == expected, "dr7 \(String(set.dr7, radix: 2))")
        // A fifth would need a fifth register.
        #expect(d.insertBreakpoint(Breakpoint(kind: .hardware, address: VirtualAddress(0x6000), length: 1), thread: thread) == .ok)
        #expect(d.insertBreakpoint(Breakpoint(kind: .hardware, address: VirtualAddress(0x7000), length: 1), thread: thread) == .failed(.noResources))
        // Removed, its slot is free and its enable bit goes.
        #expect(d.removeBreakpoint(Breakpoint(kind: .writeWatch, address: VirtualAddress(0x2000), length: 8), thread: thread) == .ok)
        d.apply(.continue(signal: nil), to: .kvm)
        let after = try #require(vcpu.debugRegisterWrites.withLock { $0.last })
        #expect(after.dr7 & (1 << 2) == 0 && after.dr7 & (0b1111 << 20) == 0, "dr7 \(String(after.dr7, radix: 2))")
    }

    @Test func withoutWorkingDebugRegistersHardwareBreakpointsAreRefused() throws {
        let d = try debugger(RecordingVCPU(), hardwareBreakpointsWork: false)
        #expect(d.insertBreakpoint(Breakpoint(kind: .hardware, address: VirtualAddress(0x1000), length: 1), thread: ThreadID(1)) == .unsupported)
        #expect(d.insertBreakpoint(Breakpoint(kind: .writeWatch, address: VirtualAddress(0x1000), length: 8), thread: ThreadID(1)) == .unsupported)
    }

    @Test func aStepFromADebugChannelStopIsTheKernelsNotKVMs() throws {
        let vcpu = RecordingVCPU()
        let d = try debugger(vcpu)
        #expect(d.insertBreakpoint(Breakpoint(kind: .hardware, address: VirtualAddress(0x9000), length: 1), thread: ThreadID(1)) == .ok)
        let page: UInt64 = 0x4000
        d.apply(.step(signal: nil), to: .channel(page))
        #expect(vcpu.guestDebug.withLock { $0.map(\.control) } == [0])
        #expect(try d.memory.load(UInt32.self, at: GuestAddress(page + UInt64(ChannelLayout.resume))) == UInt32(SV_DEBUG_RESUME_STEP))
        #expect(try d.memory.load(UInt64.self, at: GuestAddress(page + UInt64(ChannelLayout.debugRegisters))) == 0x9000)
        #expect(try d.memory.load(UInt64.self, at: GuestAddress(page + UInt64(ChannelLayout.dr7))) == 1)
        #expect(vcpu.debugRegisterWrites.withLock { $0.isEmpty }, "the kernel loads DR0–DR7 from the channel page")
    }
}
