// LongMode.swift — the vCPU's initial state: 64-bit mode directly, no firmware (sv_boot.h entry
// protocol). On PVM these exact values are required (HOST.md rule 1: CR4 without PCIDE, Linux
// selectors); they are also what any x86-64 long-mode kernel expects.
import ABI
import CKVM
import KVM

enum LongMode {
    static let cr0: UInt64 = 0x8005_0033   // PG | AM | WP | NE | ET | MP | PE
    static let cr4: UInt64 = 0x6a0         // OSXMMEXCPT | OSFXSR | PGE | PAE
    static let efer: UInt64 = 0xd01        // NXE | LMA | LME | SCE

    static func enter(vcpu: borrowing VCPU, boot: BootState) throws(KVMError) {
        var s = try vcpu.specialRegisters()
        s.cr0 = cr0
        s.cr3 = boot.pageTableRoot
        s.cr4 = cr4
        s.efer = efer
        s.cs = segment(selector: UInt16(SV_SEL_KERNEL_CS), type: 11, code64: true)
        s.ss = segment(selector: UInt16(SV_SEL_KERNEL_SS), type: 3, code64: false)
        s.ds = s.ss
        s.es = s.ss
        var unusable = kvm_segment()
        unusable.unusable = 1
        s.fs = unusable
        s.gs = unusable
        s.gdt.base = boot.gdtBase
        s.gdt.limit = UInt16(BootLayout.gdtEntries.count * 8 - 1)
        try vcpu.setSpecialRegisters(s)

        var r = kvm_regs()
        r.rip = boot.entry
        r.rdi = boot.bootInfoAddress
        r.rflags = 2
        try vcpu.setRegisters(r)
    }

    static func segment(selector: UInt16, type: UInt8, code64: Bool) -> kvm_segment {
        var seg = kvm_segment()
        seg.base = 0
        seg.limit = 0xffff_ffff
        seg.selector = selector
        seg.type = type
        seg.present = 1
        seg.dpl = 0
        seg.db = code64 ? 0 : 1
        seg.s = 1
        seg.l = code64 ? 1 : 0
        seg.g = 1
        return seg
    }
}
