// Descriptors.swift — GDT, TSS and IDT (SDM Vol. 3 §3.4.5, §7.7, §6.14), built at boot inside the
// entry area (they must be mapped in user address spaces: the CPU reads them on every event).
import ABI
import Arch

public enum Descriptors {
    public static let ist1: UInt64 = 1   // all vectors: the entry frame at the top of the entry page
    public static let ist2: UInt64 = 2   // double fault, NMI, machine check: a stack of their own
    public static let ist3: UInt64 = 3   // #DB and #BP: may return to kernel code (debugger), so not IST1

    public static func install() {
        // SAFETY: entry.S reserves the GDT (10 entries), the TSS (104 bytes) and the IDT (256 gates)
        // in the entry area; only this function writes them, once, at boot.
        let gdt = UnsafeMutablePointer<UInt64>(bitPattern: UInt(sv_address_of_gdt()))!
        gdt[0] = 0
        gdt[1] = 0
        // The accessed bit (type bit 0) is preset: user address spaces map the GDT read-only, and
        // a CPU that had to set it while loading CS for an interrupt would fault (double fault).
        gdt[2] = 0x00af_9b00_0000_ffff   // 0x10 kernel code, 64-bit
        gdt[3] = 0x00cf_9300_0000_ffff   // 0x18 kernel data
        gdt[4] = 0x00cf_fb00_0000_ffff   // 0x20 user code, 32-bit (0x23; STAR needs it, HOST.md rule 1)
        gdt[5] = 0x00cf_f300_0000_ffff   // 0x28 user data (0x2b)
        gdt[6] = 0x00af_fb00_0000_ffff   // 0x30 user code, 64-bit (0x33)
        gdt[7] = 0
        // 0x40: 16-byte available 64-bit TSS descriptor (type 9).
        let tss = sv_address_of_tss()
        let limit: UInt64 = 103
        gdt[8] = limit & 0xffff | (tss & 0xff_ffff) << 16 | 0x89 << 40 | (limit >> 16 & 0xf) << 48 | (tss >> 24 & 0xff) << 56
        gdt[9] = tss >> 32

        // 64-bit TSS: RSP0 at +4, IST1..7 at +36, I/O map base at +102 (beyond the limit: no bitmap).
        let t = UnsafeMutableRawPointer(bitPattern: UInt(tss))!
        t.initializeMemory(as: UInt8.self, repeating: 0, count: 104)
        let ist1Top = sv_address_of_entry_frame() + UInt64(SV_FRAME_SIZE)
        t.storeBytes(of: ist1Top, toByteOffset: 4, as: UInt64.self)
        t.storeBytes(of: ist1Top, toByteOffset: 36, as: UInt64.self)
        t.storeBytes(of: sv_address_of_ist2_top(), toByteOffset: 44, as: UInt64.self)
        t.storeBytes(of: sv_address_of_ist3_top(), toByteOffset: 52, as: UInt64.self)
        t.storeBytes(of: UInt16(104), toByteOffset: 102, as: UInt16.self)

        // IDT: interrupt gates (IF cleared on entry). #BP has DPL 3 so a user int3 reaches the
        // debugger path instead of raising #GP.
        let idt = UnsafeMutablePointer<UInt64>(bitPattern: UInt(sv_address_of_idt()))!
        let stubs = sv_address_of_isr_table()
        for vector in 0..<256 {
            let handler = stubs + UInt64(vector) * UInt64(SV_ISR_STUB_SIZE)
            let ist = (vector == 2 || vector == 8 || vector == 18) ? ist2 : (vector == 1 || vector == 3) ? ist3 : ist1
            let dpl: UInt64 = vector == 3 ? 3 : 0
            idt[vector * 2] = handler & 0xffff | UInt64(SV_SEL_KERNEL_CS) << 16 | ist << 32 |
                (0x8e | dpl << 5) << 40 | (handler >> 16 & 0xffff) << 48
            idt[vector * 2 + 1] = handler >> 32
        }

        sv_lgdt(sv_address_of_gdt(), UInt16(10 * 8 - 1))
        sv_reload_segments(UInt16(SV_SEL_KERNEL_CS), UInt16(SV_SEL_KERNEL_SS))
        sv_ltr(UInt16(SV_SEL_TSS))
        sv_lidt(sv_address_of_idt(), UInt16(256 * 16 - 1))
    }

    public static let msrSTAR: UInt32 = 0xc000_0081
    public static let msrLSTAR: UInt32 = 0xc000_0082
    public static let msrSFMASK: UInt32 = 0xc000_0084
    public static let msrEFER: UInt32 = 0xc000_0080

    /// SYSCALL/SYSRET (SDM Vol. 3 §5.8.8): STAR selects 0x10 for the kernel and 0x23 (+16 = 0x33
    /// code, +8 = 0x2b stack) for user mode; SFMASK clears TF, DF, IF, NT and AC on entry.
    public static func enableSyscalls() {
        sv_wrmsr(msrSTAR, UInt64(SV_SEL_USER32_CS) << 48 | UInt64(SV_SEL_KERNEL_CS) << 32)
        sv_wrmsr(msrLSTAR, sv_address_of_syscall_entry())
        sv_wrmsr(msrSFMASK, 0x47700)
        let efer = sv_rdmsr(msrEFER)
        if efer & 1 == 0 { sv_wrmsr(msrEFER, efer | 1) }   // SCE (the VMM sets it already)
    }
}
