// CoreFile.swift — an ELF core file of one crashed guest process, the format gdb reads for Linux
// processes (System V gABI "ELF header"/"Program header"; the notes as Linux's fs/binfmt_elf.c
// writes them): PT_NOTE with NT_PRSTATUS (struct elf_prstatus: the signal, the pid and the
// registers as struct user_regs_struct, arch/x86/include/asm/user_64.h) and NT_PRPSINFO (the
// program's name), then one PT_LOAD per mapped user page range with its bytes. `gdb PROG.elf CORE`
// then shows the crash site and a backtrace, as for a Linux core.

struct CoreFile {
    struct Process {
        var pid: Int32
        var parentPID: Int32
        var name: String
        var signal: Int32
        /// gdb's order: rax rbx rcx rdx rsi rdi rbp rsp r8–r15.
        var gpr: [UInt64]
        var rip: UInt64
        var rflags: UInt64
        var cs: UInt64
        var ss: UInt64
    }

    /// The memory of one PT_LOAD: contiguous virtual range and its bytes.
    struct Segment {
        var virtualAddress: UInt64
        var bytes: [UInt8]
        var writable: Bool
        var executable: Bool
    }

    static let ntPRStatus: UInt32 = 1, ntPRPSInfo: UInt32 = 3
    static let prstatusSize = 336, prpsinfoSize = 136
    static let registersOffset = 112   // pr_reg in struct elf_prstatus (x86-64)

    /// struct user_regs_struct: r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi rdi orig_rax
    /// rip cs eflags rsp ss fs_base gs_base ds es fs gs.
    static func userRegisters(_ p: Process) -> [UInt64] {
        let g = p.gpr
        return [g[15], g[14], g[13], g[12], g[6], g[1], g[11], g[10], g[9], g[8], g[0], g[2], g[3], g[4], g[5],
                UInt64.max, p.rip, p.cs, p.rflags, g[7], p.ss, 0, 0, p.ss, p.ss, 0, 0]
    }

    static func note(type: UInt32, descriptor: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        let name = Array("CORE".utf8) + [0]
        append(UInt32(name.count), to: &out)
        append(UInt32(descriptor.count), to: &out)
        append(type, to: &out)
        out += name + [UInt8](repeating: 0, count: (4 - name.count % 4) % 4)
        out += descriptor + [UInt8](repeating: 0, count: (4 - descriptor.count % 4) % 4)
        return out
    }

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    static func put<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { for (i, b) in $0.enumerated() { bytes[offset + i] = b } }
    }

    static func prstatus(_ p: Process) -> [UInt8] {
        var d = [UInt8](repeating: 0, count: prstatusSize)
        put(p.signal, at: 0, in: &d)                      // si_signo
        put(UInt16(truncatingIfNeeded: p.signal), at: 12, in: &d)   // pr_cursig
        put(p.pid, at: 32, in: &d)                        // pr_pid
        put(p.parentPID, at: 36, in: &d)                  // pr_ppid
        put(p.pid, at: 40, in: &d)                        // pr_pgrp
        put(p.pid, at: 44, in: &d)                        // pr_sid
        for (i, r) in userRegisters(p).enumerated() { put(r, at: registersOffset + 8 * i, in: &d) }
        return d
    }

    static func prpsinfo(_ p: Process) -> [UInt8] {
        var d = [UInt8](repeating: 0, count: prpsinfoSize)
        d[0] = 0; d[1] = UInt8(ascii: "R")                // pr_state, pr_sname
        put(p.pid, at: 24, in: &d)                        // pr_pid
        put(p.parentPID, at: 28, in: &d)                  // pr_ppid
        put(p.pid, at: 32, in: &d)                        // pr_pgrp
        put(p.pid, at: 36, in: &d)                        // pr_sid
        // pr_fname: the file gdb is given (NAME.elf; the guest ran its stripped copy), so gdb's
        // "core file may not match the executable" check compares like with like.
        let file = Array((p.name + ".elf").utf8.prefix(15))
        for (i, b) in file.enumerated() { d[40 + i] = b } // pr_fname[16]
        for (i, b) in p.name.utf8.prefix(79).enumerated() { d[56 + i] = b }   // pr_psargs[80]
        return d
    }

    /// The whole file.
    static func bytes(process p: Process, segments: [Segment]) -> [UInt8] {
        let notes = note(type: ntPRStatus, descriptor: prstatus(p)) + note(type: ntPRPSInfo, descriptor: prpsinfo(p))
        let layout = headers(notes: notes, segments: segments.map {
            LoadSegment(virtualAddress: $0.virtualAddress, size: UInt64($0.bytes.count), writable: $0.writable, executable: $0.executable)
        })
        var out = layout.prefix
        for (s, offset) in zip(segments, layout.dataOffsets) {
            out += [UInt8](repeating: 0, count: Int(offset) - out.count)
            out += s.bytes
        }
        return out
    }

    /// One PT_LOAD as the program header describes it (its bytes are written by the caller).
    struct LoadSegment {
        var virtualAddress: UInt64
        var size: UInt64
        var writable: Bool
        var executable: Bool
    }

    /// The ELF header, the program headers (PT_NOTE, then one PT_LOAD per segment) and the notes;
    /// `dataOffsets` says where each segment's bytes go (page-aligned, after the notes).
    static func headers(notes: [UInt8], segments: [LoadSegment]) -> (prefix: [UInt8], dataOffsets: [UInt64]) {
        let headerSize = 64, phSize = 56
        let phCount = 1 + segments.count
        let notesOffset = headerSize + phSize * phCount
        var dataOffset = UInt64((notesOffset + notes.count + 4095) & ~4095)
        var offsets: [UInt64] = []
        var out: [UInt8] = [0x7f, UInt8(ascii: "E"), UInt8(ascii: "L"), UInt8(ascii: "F"), 2, 1, 1, 0]
        out += [UInt8](repeating: 0, count: 8)
        append(UInt16(4), to: &out)            // ET_CORE
        append(UInt16(62), to: &out)           // EM_X86_64
        append(UInt32(1), to: &out)            // EV_CURRENT
        append(UInt64(0), to: &out)            // e_entry
        append(UInt64(headerSize), to: &out)   // e_phoff
        append(UInt64(0), to: &out)            // e_shoff
        append(UInt32(0), to: &out)            // e_flags
        append(UInt16(headerSize), to: &out)
        append(UInt16(phSize), to: &out)
        append(UInt16(phCount), to: &out)
        append(UInt16(64), to: &out)           // e_shentsize
        append(UInt16(0), to: &out)            // e_shnum
        append(UInt16(0), to: &out)            // e_shstrndx
        // PT_NOTE
        append(UInt32(4), to: &out); append(UInt32(0), to: &out)
        append(UInt64(notesOffset), to: &out); append(UInt64(0), to: &out); append(UInt64(0), to: &out)
        append(UInt64(notes.count), to: &out); append(UInt64(0), to: &out); append(UInt64(4), to: &out)
        for s in segments {
            let flags: UInt32 = 4 | (s.writable ? 2 : 0) | (s.executable ? 1 : 0)
            append(UInt32(1), to: &out); append(flags, to: &out)
            append(dataOffset, to: &out); append(s.virtualAddress, to: &out); append(UInt64(0), to: &out)
            append(s.size, to: &out); append(s.size, to: &out); append(UInt64(4096), to: &out)
            offsets.append(dataOffset)
            dataOffset += (s.size + 4095) & ~4095
        }
        out += notes
        return (out, offsets)
    }
}
