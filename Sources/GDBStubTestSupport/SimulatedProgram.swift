// SimulatedProgram.swift — the memory image of the simulated machine: page tables, code, data, and
// the addresses tests and the gdb scripts refer to.
//
//   guest-physical (2 MiB of RAM)             guest-virtual (higher half, like the kernel)
//   0x1000  PML4 ─ [511] ─┐
//   0x2000  PDPT ─────────┘ [510] → PD, [0] → 1 GiB page at PA 0x4000_0000 (beyond RAM: unbacked)
//   0x3000  PD ─ [0] → PT, [1] → 2 MiB page at PA 0 (a direct map of all RAM)
//   0x4000  PT ─ [0] code  [1] data  [2] (hole)  [3] data2  [4] stack
//   0x10000 code          0xffffffff80000000  codeBase
//   0x11000 data          0xffffffff80001000  data
//   (none)                0xffffffff80002000  hole — unmapped
//   0x12000 data2         0xffffffff80003000  data2
//   0x13000 stack         0xffffffff80004000  stack (top 0xffffffff80005000)
//   0 … 0x1fffff          0xffffffff80200000  directMap
//   0x4000_0000 …         0xffffff8000000000  unbacked (translates, but no RAM behind it)
import GDBStub

public enum SimulatedProgram {
    public static let ramSize = 0x20_0000
    public static let codeBase: UInt64 = 0xffff_ffff_8000_0000
    public static let data: UInt64 = codeBase + 0x1000
    public static let hole: UInt64 = codeBase + 0x2000
    public static let data2: UInt64 = codeBase + 0x3000
    public static let stackTop: UInt64 = codeBase + 0x5000
    public static let directMap: UInt64 = codeBase + 0x20_0000
    public static let unbacked: UInt64 = 0xffff_ff80_0000_0000

    /// `inc rax` — vCPU 0 starts here and loops back here.
    public static let entry: UInt64 = codeBase + 0x00
    /// `mov [rip+…], rax`: writes `counter`.
    public static let storeCounter: UInt64 = codeBase + 0x03
    /// `inc rbx`: a good place for a breakpoint (reached once per loop).
    public static let marker: UInt64 = codeBase + 0x0b
    /// `mov rcx, [rip+…]`: reads `readVariable`.
    public static let loadVariable: UInt64 = codeBase + 0x0e
    /// `hlt; jmp halt` for vCPU 0 when parked.
    public static let halt: UInt64 = codeBase + 0x17
    /// `hlt; jmp idle`: vCPU 1 starts here.
    public static let idle: UInt64 = codeBase + 0x1a
    /// `out 0xf4, al`: the debug-exit port; the machine exits with code al.
    public static let exit: UInt64 = codeBase + 0x1d

    /// The loop counter the program stores rax into.
    public static let counter: UInt64 = data
    /// A variable the program reads into rcx each loop.
    public static let readVariable: UInt64 = data + 8
    public static let readVariableValue: UInt64 = 0x1122_3344_5566_7788
    /// The last 8 bytes of `data`, right before the unmapped hole.
    public static let beforeHole: UInt64 = data + 0xff8
    public static let beforeHoleValue: UInt64 = 0x0807_0605_0403_0201

    static let code: [UInt8] = [
        0x48, 0xff, 0xc0,                           // 00 entry:  inc rax
        0x48, 0x89, 0x05, 0xf6, 0x0f, 0x00, 0x00,   // 03         mov [rip+0xff6], rax   ; counter
        0x90,                                       // 0a         nop
        0x48, 0xff, 0xc3,                           // 0b marker: inc rbx
        0x48, 0x8b, 0x0d, 0xf3, 0x0f, 0x00, 0x00,   // 0e         mov rcx, [rip+0xff3]   ; readVariable
        0xeb, 0xe9,                                 // 15         jmp entry
        0xf4,                                       // 17 halt:   hlt
        0xeb, 0xfd,                                 // 18         jmp halt
        0xf4,                                       // 1a idle:   hlt
        0xeb, 0xfd,                                 // 1b         jmp idle
        0xe6, 0xf4,                                 // 1d exit:   out 0xf4, al
        0xf4,                                       // 1f         hlt
    ]

    static func buildRAM() -> [UInt8] {
        var ram = [UInt8](repeating: 0, count: ramSize)
        func put64(_ pa: Int, _ v: UInt64) { for i in 0..<8 { ram[pa + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) } }
        let flags: UInt64 = 0x7  // present, writable, user (U=1 at every level: HOST.md rule 6)
        let ps: UInt64 = 0x80
        put64(0x1000 + 511 * 8, 0x2000 | flags)             // PML4[511] → PDPT
        put64(0x2000 + 510 * 8, 0x3000 | flags)             // PDPT[510] → PD
        put64(0x2000 + 0 * 8, 0x4000_0000 | flags | ps)     // PDPT[0]: 1 GiB page, no RAM behind it
        put64(0x3000 + 0 * 8, 0x4000 | flags)               // PD[0] → PT
        put64(0x3000 + 1 * 8, 0x0 | flags | ps)             // PD[1]: 2 MiB page over all RAM
        put64(0x4000 + 0 * 8, 0x10000 | flags)              // code
        put64(0x4000 + 1 * 8, 0x11000 | flags)              // data
        put64(0x4000 + 3 * 8, 0x12000 | flags)              // data2 (PT[2] stays empty: the hole)
        put64(0x4000 + 4 * 8, 0x13000 | flags)              // stack
        ram.replaceSubrange(0x10000..<0x10000 + code.count, with: code)
        put64(0x11000 + 8, readVariableValue)
        put64(0x11000 + 0xff8, beforeHoleValue)
        let text = Array("swiftvm data2 page".utf8)
        ram.replaceSubrange(0x12000..<0x12000 + text.count, with: text)
        return ram
    }

    static func initialRegisters(vcpu: Int) -> X86_64Registers {
        var r = X86_64Registers()
        r.rip = vcpu == 0 ? entry : idle
        r[.rsp] = stackTop - 0x10 - UInt64(vcpu) * 0x800
        r[.rbp] = r[.rsp]
        r[.rdi] = UInt64(vcpu)
        r.eflags = 0x202
        r.segments = [0x10, 0x18, 0x18, 0x18, 0, 0]  // cs, ss, ds, es, fs, gs
        r.fsBase = 0
        r.gsBase = data2 + 0x100 * UInt64(vcpu)      // per-CPU data
        r.kernelGSBase = 0x7fff_0000_1000
        r.cr0 = 0x8005_0033
        r.cr3 = 0x1000
        r.cr4 = 0x6a0
        r.efer = 0xd01
        r.mxcsr = 0x1f80
        r.x87Control[0] = 0x37f  // fctrl after fninit
        r.st[0] = X87Register(significand: 0x8000_0000_0000_0000, signExponent: 0x3fff)  // 1.0
        r.xmm[0] = UInt128(0x0011_2233_4455_6677) << 64 | UInt128(0x8899_aabb_ccdd_eeff)
        return r
    }
}
