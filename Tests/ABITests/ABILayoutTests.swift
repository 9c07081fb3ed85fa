// ABILayoutTests.swift — the ABI headers (Guest/ABI) as the host compiles them: every struct has
// its documented size and field offsets, so a header edit that changes a wire or memory layout fails
// here (abi.c includes every header, so their _Static_asserts run in this build as well).
import ABI
import Foundation
import Testing

struct Layout: CustomTestStringConvertible {
    let name: String
    let size: Int
    let expected: Int
    var testDescription: String { name }
}

/// Every struct of every header in Guest/ABI/include, with the size its header documents.
let layouts: [Layout] = [
    // sv_boot.h
    Layout(name: "sv_mem_region", size: MemoryLayout<sv_mem_region>.size, expected: 24),
    Layout(name: "sv_device", size: MemoryLayout<sv_device>.size, expected: 32),
    Layout(name: "sv_boot_info", size: MemoryLayout<sv_boot_info>.size, expected: 88 + 32 * 24 + 16 * 32),
    // sv_syscall.h
    Layout(name: "sv_ipc_call", size: MemoryLayout<sv_ipc_call>.size, expected: 7 * 8),
    Layout(name: "sv_ipc_identity", size: MemoryLayout<sv_ipc_identity>.size, expected: 5 * 4 + Int(SV_NGROUPS_MAX) * 4 + 4),
    Layout(name: "sv_ipc_message", size: MemoryLayout<sv_ipc_message>.size, expected: 4 * 8 + 56 + Int(SV_IPC_MESSAGE_MAX)),
    Layout(name: "sv_process_info", size: MemoryLayout<sv_process_info>.size, expected: 16 + 48 + 8 + 8),
    Layout(name: "sv_sigaction", size: MemoryLayout<sv_sigaction>.size, expected: 4 * 8),
    Layout(name: "sv_exec", size: MemoryLayout<sv_exec>.size, expected: 6 * 8),
    Layout(name: "sv_timespec", size: MemoryLayout<sv_timespec>.size, expected: 16),
    Layout(name: "sv_memory_info", size: MemoryLayout<sv_memory_info>.size, expected: 3 * 8),
    Layout(name: "sv_kernel_counters", size: MemoryLayout<sv_kernel_counters>.size, expected: 11 * 8),
    // sv_initrd.h
    Layout(name: "sv_initrd_header", size: MemoryLayout<sv_initrd_header>.size, expected: 32),
    Layout(name: "sv_initrd_entry", size: MemoryLayout<sv_initrd_entry>.size, expected: 64),
    // sv_debug.h
    Layout(name: "sv_debug_state", size: MemoryLayout<sv_debug_state>.size,
           expected: 4 * 4 + 2 * 8 + 16 * 8 + 2 * 8 + 2 * 8 + 6 * 8 + 8 + 5 * 8 + 5 * 8),
    Layout(name: "sv_debug_process", size: MemoryLayout<sv_debug_process>.size, expected: 4 * 4 + 8 + 20 * 8 + 32 + 48),
    // sv_fs.h
    Layout(name: "sv_fs_request", size: MemoryLayout<sv_fs_request>.size, expected: 24),
    Layout(name: "sv_fs_reply", size: MemoryLayout<sv_fs_reply>.size, expected: 32),
    // sv_blk.h
    Layout(name: "sv_blk_request", size: MemoryLayout<sv_blk_request>.size, expected: 24),
    Layout(name: "sv_blk_reply", size: MemoryLayout<sv_blk_reply>.size, expected: 16),
    // sv_pipe.h
    Layout(name: "sv_pipe_request", size: MemoryLayout<sv_pipe_request>.size, expected: 16),
    Layout(name: "sv_pipe_reply", size: MemoryLayout<sv_pipe_reply>.size, expected: 16),
    // sv_tty.h
    Layout(name: "sv_termios", size: MemoryLayout<sv_termios>.size, expected: 36),
    Layout(name: "sv_winsize", size: MemoryLayout<sv_winsize>.size, expected: 8),
]

@Test("ABI struct has its documented size", arguments: layouts)
func structSize(_ layout: Layout) {
    #expect(layout.size == layout.expected)
}

/// The wire format of the three server protocols, field by field (the byte offsets their headers
/// document; the servers and clients read these structs, so this is the protocol).
@Test func fileProtocolOffsets() {
    #expect(MemoryLayout<sv_fs_request>.offset(of: \.op) == 0)
    #expect(MemoryLayout<sv_fs_request>.offset(of: \.flags) == 1)
    #expect(MemoryLayout<sv_fs_request>.offset(of: \.a) == 8)
    #expect(MemoryLayout<sv_fs_request>.offset(of: \.b) == 16)
    #expect(MemoryLayout<sv_fs_reply>.offset(of: \.status) == 0)
    #expect(MemoryLayout<sv_fs_reply>.offset(of: \.value) == 8)
    #expect(MemoryLayout<sv_fs_reply>.offset(of: \.size) == 16)
    #expect(MemoryLayout<sv_fs_reply>.offset(of: \.kind) == 24)
    #expect(Int(SV_FS_PATH_MAX) + MemoryLayout<sv_fs_request>.size == Int(SV_IPC_MESSAGE_MAX))
}

@Test func blockProtocolOffsets() {
    #expect(MemoryLayout<sv_blk_request>.offset(of: \.op) == 0)
    #expect(MemoryLayout<sv_blk_request>.offset(of: \.block) == 8)
    #expect(MemoryLayout<sv_blk_request>.offset(of: \.count) == 16)
    #expect(MemoryLayout<sv_blk_reply>.offset(of: \.status) == 0)
    #expect(MemoryLayout<sv_blk_reply>.offset(of: \.value) == 8)
}

@Test func pipeProtocolOffsets() {
    #expect(MemoryLayout<sv_pipe_request>.offset(of: \.op) == 0)
    #expect(MemoryLayout<sv_pipe_request>.offset(of: \.end) == 1)
    #expect(MemoryLayout<sv_pipe_request>.offset(of: \.pipe) == 8)
    #expect(MemoryLayout<sv_pipe_reply>.offset(of: \.status) == 0)
    #expect(MemoryLayout<sv_pipe_reply>.offset(of: \.value) == 8)
}

/// The identity the kernel stamps on a message (sv_ipc_identity), between the lease fields and the
/// request bytes: servers read it at these offsets.
@Test func ipcMessageIdentityOffsets() {
    #expect(MemoryLayout<sv_ipc_message>.offset(of: \.caller) == 0)
    #expect(MemoryLayout<sv_ipc_message>.offset(of: \.lease_flags) == 24)
    #expect(MemoryLayout<sv_ipc_message>.offset(of: \.identity) == 32)
    #expect(MemoryLayout<sv_ipc_message>.offset(of: \.buffer) == 32 + 56)
    #expect(MemoryLayout<sv_ipc_identity>.offset(of: \.pid) == 0)
    #expect(MemoryLayout<sv_ipc_identity>.offset(of: \.uid) == 4)
    #expect(MemoryLayout<sv_ipc_identity>.offset(of: \.gid) == 8)
    #expect(MemoryLayout<sv_ipc_identity>.offset(of: \.umask) == 12)
    #expect(MemoryLayout<sv_ipc_identity>.offset(of: \.group_count) == 16)
    #expect(MemoryLayout<sv_ipc_identity>.offset(of: \.groups) == 20)
    #expect(MemoryLayout<sv_process_info>.offset(of: \.uid) == 72)
    #expect(MemoryLayout<sv_process_info>.offset(of: \.euid) == 76)
}

/// The service names are the header's, the one place they are spelled.
@Test func serviceNames() {
    #expect(SV_FS_SERVICE == "fs")
    #expect(SV_BLK_SERVICE == "disk0")
    #expect(SV_PIPE_SERVICE == "pipe")
}

/// Every header is in the module map (so Swift sees it) and in abi.c (so its asserts run in both
/// the host and the guest build).
@Test func everyHeaderIsCompiled() throws {
    let abi = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Guest/ABI").standardized
    let headers = try FileManager.default.contentsOfDirectory(atPath: abi.appendingPathComponent("include").path)
        .filter { $0.hasSuffix(".h") }
    #expect(headers.count >= 9)
    let moduleMap = try String(contentsOf: abi.appendingPathComponent("include/module.modulemap"), encoding: .utf8)
    let translationUnit = try String(contentsOf: abi.appendingPathComponent("abi.c"), encoding: .utf8)
    for header in headers {
        #expect(moduleMap.contains("header \"\(header)\""), "\(header) is not in module.modulemap")
        #expect(translationUnit.contains("#include \"\(header)\""), "\(header) is not included by abi.c")
    }
}
