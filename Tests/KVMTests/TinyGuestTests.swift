// TinyGuestTests.swift — the VMM against hand-assembled guests (KVM required): the boot protocol,
// port I/O dispatch, power-off status, crashes, timeouts, and each environment error `swiftvm run`
// reports. Each guest is a few instructions at the kernel entry (sv_boot.h entry protocol).
import Foundation
import Synchronization
import TestSupport
import Testing
import VMM

/// Collects serial output across threads.
final class SerialCapture: Sendable {
    let bytes = Mutex<[UInt8]>([])
    var text: String { bytes.withLock { String(decoding: $0, as: UTF8.self) } }
    var sink: @Sendable ([UInt8]) -> Void { { b in self.bytes.withLock { $0.append(contentsOf: b) } } }
}

func writeTemporary(_ bytes: [UInt8], name: String = "guest.elf") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swiftvm-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw TestSetupError("cannot write \(path)") }
    return path
}

func boot(_ code: [UInt8], timeout: Double = 20, memory: UInt64 = 32 << 20,
          initrd: [UInt8]? = nil) throws -> (RunOutcome, String) {
    try RepositoryPaths.requireKVM()
    var config = MachineConfiguration(kernelPath: try writeTemporary(ELFBuilder.tinyGuest(code)))
    if let initrd { config.initrdPath = try writeTemporary(initrd, name: "initrd.img") }
    config.memorySize = memory
    config.timeout = timeout
    config.interactive = false
    let capture = SerialCapture()
    config.serialOutput = capture.sink
    let result = try Machine.boot(config)
    return (result.outcome, capture.text)
}

let exit0: [UInt8] = [0x31, 0xc0, 0xe7, 0xf4]                     // xor eax, eax; out 0xf4, eax

@Test func kvmGuestPowersOffWithItsStatus() throws {
    let (outcome, _) = try boot([0xb8, 42, 0, 0, 0, 0xe7, 0xf4])   // mov eax, 42; out 0xf4, eax
    #expect(outcome == .exited(status: 42))
    #expect(outcome.processStatus == 42)
}

@Test func kvmSerialOutputByteByByte() throws {
    let code: [UInt8] = [0x66, 0xba, 0xf8, 0x03,                    // mov dx, 0x3f8
                         0xb0, 0x68, 0xee, 0xb0, 0x69, 0xee, 0xb0, 0x0a, 0xee] + exit0
    let (outcome, text) = try boot(code)
    #expect(outcome == .exited(status: 0))
    #expect(text == "hi\n")
}

@Test func kvmSerialOutputWithRepOutsb() throws {
    // lea rsi, [rip + 15]; mov ecx, 5; mov dx, 0x3f8; rep outsb; xor eax, eax; out 0xf4, eax; "hello"
    let code: [UInt8] = [0x48, 0x8d, 0x35, 15, 0, 0, 0, 0xb9, 5, 0, 0, 0, 0x66, 0xba, 0xf8, 0x03, 0xf3, 0x6e]
        + exit0 + Array("hello".utf8)
    let (outcome, text) = try boot(code)
    #expect(outcome == .exited(status: 0))
    #expect(text == "hello")
}

@Test func kvmUnknownPortsReadAllOnes() throws {
    let (outcome, _) = try boot([0xe4, 0x99, 0x0f, 0xb6, 0xc0, 0xe7, 0xf4])   // in al, 0x99; movzx eax, al; out
    #expect(outcome == .exited(status: 0xff))
}

@Test func kvmBootInfoIsAtRDIInTheDirectMap() throws {
    // movabs rax, 0x400000000000; add rax, rdi; mov rax, [rax]; shr rax, 56; out 0xf4, eax
    let code: [UInt8] = [0x48, 0xb8, 0, 0, 0, 0, 0, 0x40, 0, 0, 0x48, 0x01, 0xf8, 0x48, 0x8b, 0x00,
                         0x48, 0xc1, 0xe8, 56, 0xe7, 0xf4]
    let (outcome, _) = try boot(code)
    #expect(outcome == .exited(status: UInt32(UInt8(ascii: "1"))))   // "SVMBOOT1": top byte
}

@Test func kvmTripleFaultIsACrash() throws {
    let (outcome, _) = try boot([0x0f, 0x0b])                       // ud2 with no IDT
    guard case .crashed(let reason) = outcome else { Issue.record("outcome \(outcome)"); return }
    #expect(reason.contains("triple fault"))
    #expect(outcome.processStatus == 125)
}

@Test func kvmTimeoutStopsAGuestThatNeverExits() throws {
    let start = Date()
    let (outcome, _) = try boot([0xeb, 0xfe], timeout: 1)           // jmp .
    #expect(outcome == .timedOut(seconds: 1))
    #expect(outcome.processStatus == 124)
    #expect(Date().timeIntervalSince(start) < 15)
}

@Test func kvmRejectsMissingKernel() throws {
    try RepositoryPaths.requireKVM()
    var config = MachineConfiguration(kernelPath: "/nonexistent/kernel.elf")
    config.interactive = false
    #expect {
        _ = try Machine.boot(config)
    } throws: { error in
        "\(error)" == "/nonexistent/kernel.elf: no such file"
    }
}

@Test func kvmRejectsABadELF() throws {
    try RepositoryPaths.requireKVM()
    let path = try writeTemporary(Array(String(repeating: "not an ELF file. ", count: 8).utf8))
    var config = MachineConfiguration(kernelPath: path)
    config.interactive = false
    #expect {
        _ = try Machine.boot(config)
    } throws: { error in
        "\(error)" == "\(path): bad kernel ELF: not an ELF file (bad magic)"
    }
}

@Test func kvmRejectsTooLittleMemory() throws {
    var config = MachineConfiguration(kernelPath: "/dev/null")
    config.memorySize = 1 << 20
    config.interactive = false
    #expect {
        _ = try Machine.boot(config)
    } throws: { error in
        "\(error)".hasPrefix("memory size 1 MiB is outside")
    }
}

@Test func kvmRejectsAKernelBeyondRAM() throws {
    try RepositoryPaths.requireKVM()
    let big = ELFBuilder(entry: 0x4000_0010_0000, segments: [
        .init(virtualAddress: 0x4000_0010_0000, physicalAddress: 0x10_0000, bytes: exit0),
        .init(virtualAddress: 0x4000_4000_0000, physicalAddress: 0x4000_0000, bytes: [0], flags: 6),
    ]).build()
    var config = MachineConfiguration(kernelPath: try writeTemporary(big))
    config.memorySize = 32 << 20
    config.interactive = false
    #expect {
        _ = try Machine.boot(config)
    } throws: { error in
        "\(error)".contains("kernel does not fit guest RAM: segment 1")
    }
}

@Test func kvmRejectsAnInitrdThatDoesNotFit() throws {
    #expect {
        _ = try boot(exit0, memory: 16 << 20, initrd: [UInt8](repeating: 0, count: 16 << 20))
    } throws: { error in
        "\(error)".contains("does not fit after the kernel")
    }
}
