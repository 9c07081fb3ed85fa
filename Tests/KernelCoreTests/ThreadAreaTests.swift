// ThreadAreaTests.swift — the thread control block every program starts with (the x86-64 psABI's
// TLS variant II: %fs:0 is the block's own address, the stack-protector canary at %fs:0x28) and
// arch_prctl's argument checks, as Linux's do_arch_prctl_64 makes them.
import ABI
@testable import KernelCore
import Testing

private func word(_ bytes: [UInt8], at offset: Int) -> UInt64 {
    (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
}

@Test func theTCBHoldsItsOwnAddressAndTheCanaryWithAZeroLowByte() {
    let bytes = ThreadArea.initialBytes(base: ThreadArea.address, random: 0x1122_3344_5566_77ff)
    #expect(bytes.count == Int(SV_USER_TCB_SIZE))
    #expect(word(bytes, at: 0) == ThreadArea.address)
    #expect(word(bytes, at: 0x28) == 0x1122_3344_5566_7700)
    #expect(bytes[8..<0x28].allSatisfy { $0 == 0 } && bytes[0x30...].allSatisfy { $0 == 0 })
    #expect(word(ThreadArea.initialBytes(base: 0x1234_5678, random: 0), at: 0) == 0x1234_5678)
}

@Test func theTCBLiesInTheTopOfTheInitialStack() {
    #expect(ThreadArea.address + UInt64(ThreadArea.size) == UInt64(SV_USER_STACK_TOP))
    #expect(ThreadArea.address % 16 == 0, "the arguments below it stay 16-byte aligned")
    #expect(ThreadArea.canaryOffset + 8 <= ThreadArea.size)
}

@Test func archPrctlDecodesLinuxCodesAndRefusesKernelAddresses() {
    #expect(ThreadArea.decode(code: 0x1002, address: 0x7000) == .success(.setFS(0x7000)))
    #expect(ThreadArea.decode(code: 0x1002, address: 0) == .success(.setFS(0)), "0: no FS base, as on Linux")
    #expect(ThreadArea.decode(code: 0x1002, address: UInt64(SV_USER_END) - 1) == .success(.setFS(UInt64(SV_USER_END) - 1)))
    #expect(ThreadArea.decode(code: 0x1002, address: UInt64(SV_USER_END)) == .failure(KernelError(SV_EPERM)))
    #expect(ThreadArea.decode(code: 0x1002, address: 0xffff_8000_0000_0000) == .failure(KernelError(SV_EPERM)))
    #expect(ThreadArea.decode(code: 0x1003, address: 0x5000) == .success(.getFS(out: 0x5000)))
    #expect(ThreadArea.decode(code: 0x1_0000_1002, address: 0x7000) == .success(.setFS(0x7000)), "an int, as Linux reads it")
    for code: UInt64 in [0, 0x1001, 0x1004, 0x1_0000_1000, UInt64.max] {
        #expect(ThreadArea.decode(code: code, address: 0x7000) == .failure(KernelError(SV_EINVAL)), "code \(code)")
    }
}
