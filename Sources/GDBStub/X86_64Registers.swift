// X86_64Registers.swift — the x86-64 register file gdb sees, in target-description order. The order
// here *is* the `g` packet layout and the `p`/`P` register numbers; TargetDescription generates the
// XML from the same table, so the two cannot drift apart (the QEMU EFER-size bug, ANCHORS §6.2).

/// One register in gdb's numbering (the raw value is the remote register number for `p`/`P`).
///
/// Order: gdb's `org.gnu.gdb.i386.core` (64bit-core.xml: GPRs in *gdb* order rax, rbx, rcx, rdx …,
/// rip, eflags, six selectors, x87), `org.gnu.gdb.i386.sse` (xmm0–15, mxcsr), then
/// `org.gnu.gdb.i386.segments` (fs_base, gs_base) and our `org.swiftvm.x86-64.system` feature
/// (k_gs_base, cr0, cr2, cr3, cr4, cr8, efer). Bytes 0..<0x218 match gdbstub_arch's X86_64_SSE.
public enum X86_64Register: Int, CaseIterable, Hashable, Sendable {
    case rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp
    case r8, r9, r10, r11, r12, r13, r14, r15
    case rip, eflags
    case cs, ss, ds, es, fs, gs
    case st0, st1, st2, st3, st4, st5, st6, st7
    case fctrl, fstat, ftag, fiseg, fioff, foseg, fooff, fop
    case xmm0, xmm1, xmm2, xmm3, xmm4, xmm5, xmm6, xmm7
    case xmm8, xmm9, xmm10, xmm11, xmm12, xmm13, xmm14, xmm15
    case mxcsr
    case fsBase, gsBase
    case kernelGSBase, cr0, cr2, cr3, cr4, cr8, efer

    /// The name gdb knows it by (`info registers rip`, `$cr3`).
    public var name: String {
        switch self {
        case .fsBase: return "fs_base"
        case .gsBase: return "gs_base"
        case .kernelGSBase: return "k_gs_base"
        default: return "\(self)"
        }
    }

    /// Size in bytes in the `g` packet.
    public var size: Int {
        switch self {
        case .eflags, .cs, .ss, .ds, .es, .fs, .gs: return 4
        case .st0, .st1, .st2, .st3, .st4, .st5, .st6, .st7: return 10
        case .fctrl, .fstat, .ftag, .fiseg, .fioff, .foseg, .fooff, .fop, .mxcsr: return 4
        default: return isXMM ? 16 : 8
        }
    }

    var isXMM: Bool { rawValue >= X86_64Register.xmm0.rawValue && rawValue <= X86_64Register.xmm15.rawValue }
    var isX87Data: Bool { rawValue >= X86_64Register.st0.rawValue && rawValue <= X86_64Register.st7.rawValue }

    /// Byte offset in the `g` packet.
    public var offset: Int { X86_64Register.offsets[rawValue] }

    static let offsets: [Int] = {
        var result: [Int] = []
        var at = 0
        for r in X86_64Register.allCases {
            result.append(at)
            at += r.size
        }
        return result
    }()

    /// Total bytes of a `g` reply.
    public static let fileSize: Int = allCases.reduce(0) { $0 + $1.size }
}

/// An x87 80-bit register as stored by FXSAVE: 64-bit significand, then sign and 15-bit exponent.
public struct X87Register: Equatable, Sendable {
    public var significand: UInt64
    public var signExponent: UInt16
    public init(significand: UInt64 = 0, signExponent: UInt16 = 0) {
        self.significand = significand
        self.signExponent = signExponent
    }
}

/// The register file of one vCPU, as gdb sees it.
///
/// VMM mapping (KVM): GPRs, rip, rflags ← `kvm_regs`; selectors, fs/gs base, cr0/2/3/4/8, efer ←
/// `kvm_sregs`; k_gs_base ← MSR 0xC0000102 (MSR_KERNEL_GS_BASE); x87/SSE ← `kvm_fpu` (fcw, fsw,
/// ftwx is the *abridged* FXSAVE tag and needs expanding, last_opcode, last_ip, last_dp, xmm, mxcsr).
public struct X86_64Registers: Equatable, Sendable {
    /// rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp, r8 … r15 — gdb's order, not the hardware encoding order.
    public var gpr: [UInt64] = Array(repeating: 0, count: 16)
    public var rip: UInt64 = 0
    /// rflags; gdb's eflags is 32 bits wide (the upper half of rflags is reserved, zero).
    public var eflags: UInt32 = 0
    /// Selectors cs, ss, ds, es, fs, gs (gdb gives each 32 bits).
    public var segments: [UInt32] = Array(repeating: 0, count: 6)
    public var st: [X87Register] = Array(repeating: X87Register(), count: 8)
    /// fctrl, fstat, ftag, fiseg, fioff, foseg, fooff, fop.
    public var x87Control: [UInt32] = Array(repeating: 0, count: 8)
    public var xmm: [UInt128] = Array(repeating: 0, count: 16)
    public var mxcsr: UInt32 = 0
    public var fsBase: UInt64 = 0
    public var gsBase: UInt64 = 0
    public var kernelGSBase: UInt64 = 0
    public var cr0: UInt64 = 0
    public var cr2: UInt64 = 0
    public var cr3: UInt64 = 0
    public var cr4: UInt64 = 0
    public var cr8: UInt64 = 0
    public var efer: UInt64 = 0

    public init() {}

    /// The value of a register of at most 64 bits (x87 data and xmm registers: nil).
    public subscript(register: X86_64Register) -> UInt64? {
        get {
            let r = register.rawValue
            switch register {
            case _ where r < 16: return gpr[r]
            case .rip: return rip
            case .eflags: return UInt64(eflags)
            case .cs, .ss, .ds, .es, .fs, .gs: return UInt64(segments[r - X86_64Register.cs.rawValue])
            case .fctrl, .fstat, .ftag, .fiseg, .fioff, .foseg, .fooff, .fop:
                return UInt64(x87Control[r - X86_64Register.fctrl.rawValue])
            case .mxcsr: return UInt64(mxcsr)
            case .fsBase: return fsBase
            case .gsBase: return gsBase
            case .kernelGSBase: return kernelGSBase
            case .cr0: return cr0
            case .cr2: return cr2
            case .cr3: return cr3
            case .cr4: return cr4
            case .cr8: return cr8
            case .efer: return efer
            default: return nil
            }
        }
        set {
            guard let value = newValue, !register.isX87Data, !register.isXMM else { return }
            var bytes: [UInt8] = []
            for i in 0..<register.size { bytes.append(i < 8 ? UInt8(truncatingIfNeeded: value >> (8 * i)) : 0) }
            _ = setBytes(bytes[...], of: register)
        }
    }

    /// The little-endian bytes of one register, `register.size` of them.
    public func bytes(of register: X86_64Register) -> [UInt8] {
        if register.isX87Data {
            let v = st[register.rawValue - X86_64Register.st0.rawValue]
            return littleEndian(v.significand, 8) + littleEndian(UInt64(v.signExponent), 2)
        }
        if register.isXMM {
            let v = xmm[register.rawValue - X86_64Register.xmm0.rawValue]
            return littleEndian(UInt64(truncatingIfNeeded: v), 8) + littleEndian(UInt64(truncatingIfNeeded: v >> 64), 8)
        }
        guard let value = self[register] else { preconditionFailure("register \(register) has no scalar value") }
        return littleEndian(value, register.size)
    }

    /// Sets one register from exactly `register.size` little-endian bytes; false on a wrong size.
    @discardableResult
    public mutating func setBytes(_ bytes: ArraySlice<UInt8>, of register: X86_64Register) -> Bool {
        guard bytes.count == register.size else { return false }
        let base = bytes.startIndex
        func value(_ from: Int, _ count: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in (0..<count).reversed() { v = v << 8 | UInt64(bytes[base + from + i]) }
            return v
        }
        let r = register.rawValue
        if register.isX87Data {
            st[r - X86_64Register.st0.rawValue] = X87Register(
                significand: value(0, 8), signExponent: UInt16(value(8, 2)))
            return true
        }
        if register.isXMM {
            xmm[r - X86_64Register.xmm0.rawValue] = UInt128(value(8, 8)) << 64 | UInt128(value(0, 8))
            return true
        }
        let v = value(0, register.size)
        switch register {
        case _ where r < 16: gpr[r] = v
        case .rip: rip = v
        case .eflags: eflags = UInt32(truncatingIfNeeded: v)
        case .cs, .ss, .ds, .es, .fs, .gs: segments[r - X86_64Register.cs.rawValue] = UInt32(truncatingIfNeeded: v)
        case .fctrl, .fstat, .ftag, .fiseg, .fioff, .foseg, .fooff, .fop:
            x87Control[r - X86_64Register.fctrl.rawValue] = UInt32(truncatingIfNeeded: v)
        case .mxcsr: mxcsr = UInt32(truncatingIfNeeded: v)
        case .fsBase: fsBase = v
        case .gsBase: gsBase = v
        case .kernelGSBase: kernelGSBase = v
        case .cr0: cr0 = v
        case .cr2: cr2 = v
        case .cr3: cr3 = v
        case .cr4: cr4 = v
        case .cr8: cr8 = v
        case .efer: efer = v
        default: preconditionFailure("register \(register) not handled")
        }
        return true
    }

    /// The whole file as a `g` reply payload (before hex encoding), `X86_64Register.fileSize` bytes.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(X86_64Register.fileSize)
        for r in X86_64Register.allCases { out += bytes(of: r) }
        return out
    }

    /// Decodes a `G` payload; nil unless it is exactly `X86_64Register.fileSize` bytes.
    public init?(encoded bytes: [UInt8]) {
        guard bytes.count == X86_64Register.fileSize else { return nil }
        self.init()
        for r in X86_64Register.allCases {
            setBytes(bytes[r.offset..<(r.offset + r.size)], of: r)
        }
    }
}

@inline(__always)
func littleEndian(_ value: UInt64, _ count: Int) -> [UInt8] {
    (0..<count).map { $0 < 8 ? UInt8(truncatingIfNeeded: value >> (8 * $0)) : 0 }
}
