/* sv_arch.h — one-instruction wrappers for what Swift cannot express (privileged instructions,
 * port I/O), and the symbols entry.S and the linker script export. No logic lives here.
 * On PVM every privileged instruction below traps to the hypervisor (~3 µs, HOST.md rule 5). */
#ifndef SV_ARCH_H
#define SV_ARCH_H
#include <stdint.h>
#include "sv_trapframe.h"

static inline void sv_outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port) : "memory"); }
static inline void sv_outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port) : "memory"); }
static inline uint8_t sv_inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory"); return v; }
/* rep outsb: a whole buffer in one port-I/O exit (one VM exit instead of one per byte). */
static inline void sv_outsb(uint16_t port, const void *buf, uint64_t n) {
    __asm__ volatile("rep outsb" : "+S"(buf), "+c"(n) : "d"(port) : "memory");
}
static inline uint64_t sv_rdmsr(uint32_t msr) { uint32_t lo, hi; __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory"); return ((uint64_t)hi << 32) | lo; }
static inline void sv_wrmsr(uint32_t msr, uint64_t v) { __asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory"); }
/* FS base without a trap (SDM Vol. 2 RDFSBASE/WRFSBASE): only where CR4.FSGSBASE is set — on PVM
 * the host's CR4 applies to the natively running guest (ThreadAreaCalls.swift). */
static inline uint64_t sv_rdfsbase(void) { uint64_t v; __asm__ volatile("rdfsbase %0" : "=r"(v)); return v; }
static inline void sv_wrfsbase(uint64_t v) { __asm__ volatile("wrfsbase %0" :: "r"(v) : "memory"); }
static inline uint64_t sv_read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t sv_read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline void sv_write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline uint64_t sv_read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint64_t sv_read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void sv_invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }
static inline uint64_t sv_rdtsc(void) { uint32_t lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) :: "memory"); return ((uint64_t)hi << 32) | lo; }
/* One RDRAND value if the CPU has the instruction (CPUID.1:ECX bit 30, SDM Vol. 2B "RDRAND") and
 * it delivered (CF=1); returns 0 otherwise. */
static inline int sv_rdrand64(uint64_t *out) {
    uint32_t a = 1, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    if (!(c & (1u << 30))) return 0;
    unsigned char ok;
    __asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok) :: "cc");
    return ok;
}
static inline void sv_pause(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void sv_cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sv_sti(void) { __asm__ volatile("sti" ::: "memory"); }
/* sti; hlt: the STI shadow makes enabling and halting atomic (native x86 idle). */
static inline void sv_sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
static inline void sv_hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline void sv_compiler_barrier(void) { __asm__ volatile("" ::: "memory"); }
static inline void sv_fxsave(void *area) { __asm__ volatile("fxsave64 (%0)" :: "r"(area) : "memory"); }
static inline void sv_fxrstor(const void *area) { __asm__ volatile("fxrstor64 (%0)" :: "r"(area) : "memory"); }
static inline void sv_fninit(void) { __asm__ volatile("fninit" ::: "memory"); }
static inline void sv_ltr(uint16_t selector) { __asm__ volatile("ltr %0" :: "r"(selector) : "memory"); }
static inline void sv_cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d) {
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}
static inline uint64_t sv_read_rbp(void) { uint64_t v; __asm__ volatile("mov %%rbp, %0" : "=r"(v)); return v; }
static inline void sv_ud2(void) { __asm__ volatile("ud2"); }

/* lgdt/lidt take a 10-byte pseudo-descriptor. */
struct __attribute__((packed)) sv_descriptor_pointer { uint16_t limit; uint64_t base; };
static inline void sv_lgdt(uint64_t base, uint16_t limit) {
    struct sv_descriptor_pointer p = { limit, base };
    __asm__ volatile("lgdt %0" :: "m"(p) : "memory");
}
static inline void sv_lidt(uint64_t base, uint16_t limit) {
    struct sv_descriptor_pointer p = { limit, base };
    __asm__ volatile("lidt %0" :: "m"(p) : "memory");
}
/* Reload CS (far return) and the data segment registers after lgdt. */
void sv_reload_segments(uint16_t code, uint16_t data);

/* entry.S */
extern char sv_isr_table[];             /* 256 stubs, SV_ISR_STUB_SIZE bytes apart */
extern char sv_syscall_entry[];
extern char sv_exit_window_start[], sv_exit_window_end[];
extern char sv_user_return_stub[];      /* in .user_stub: pop rcx; pop r11; popfq; ret $136 */
/* Enters the kernel's event loop for the first time: leaves through the frame in the entry area
 * (cr3 != 0) or idles (cr3 == 0). Never returns. */
void sv_exit_to_user(uint64_t cr3) __attribute__((noreturn));

/* Linker-script symbols (kernel.ld): page-aligned bounds of the kernel image and its entry area. */
extern char __kernel_start[], __kernel_end[];
extern char __entry_text_start[], __entry_text_end[];
extern char __entry_tables_start[], __entry_tables_end[];
extern char __entry_data_start[], __entry_data_end[];
extern char __user_stub_start[], __user_stub_end[];
extern char sv_entry_frame[];            /* struct sv_trap_frame, top of the IST1 stack */
extern char sv_entry_constants[];        /* struct sv_entry_constants */
extern char sv_idt[], sv_gdt[], sv_tss[];
extern char sv_boot_stack_top[];
extern char sv_kernel_stack_top[];
extern char sv_vif_page[];
extern char sv_ist2_top[];


/* Addresses of the symbols above, for Swift (it cannot take the address of an extern array). */
static inline uint64_t sv_address_of_isr_table(void) { return (uint64_t)sv_isr_table; }
static inline uint64_t sv_address_of_syscall_entry(void) { return (uint64_t)sv_syscall_entry; }
static inline uint64_t sv_address_of_exit_window_start(void) { return (uint64_t)sv_exit_window_start; }
static inline uint64_t sv_address_of_exit_window_end(void) { return (uint64_t)sv_exit_window_end; }
static inline uint64_t sv_address_of_user_return_stub(void) { return (uint64_t)sv_user_return_stub; }
static inline uint64_t sv_address_of_kernel_start(void) { return (uint64_t)__kernel_start; }
static inline uint64_t sv_address_of_kernel_end(void) { return (uint64_t)__kernel_end; }
static inline uint64_t sv_address_of_entry_text_start(void) { return (uint64_t)__entry_text_start; }
static inline uint64_t sv_address_of_entry_text_end(void) { return (uint64_t)__entry_text_end; }
static inline uint64_t sv_address_of_entry_tables_start(void) { return (uint64_t)__entry_tables_start; }
static inline uint64_t sv_address_of_entry_tables_end(void) { return (uint64_t)__entry_tables_end; }
static inline uint64_t sv_address_of_entry_data_start(void) { return (uint64_t)__entry_data_start; }
static inline uint64_t sv_address_of_entry_data_end(void) { return (uint64_t)__entry_data_end; }
static inline uint64_t sv_address_of_user_stub_start(void) { return (uint64_t)__user_stub_start; }
static inline uint64_t sv_address_of_entry_frame(void) { return (uint64_t)sv_entry_frame; }
static inline uint64_t sv_address_of_entry_constants(void) { return (uint64_t)sv_entry_constants; }
static inline uint64_t sv_address_of_idt(void) { return (uint64_t)sv_idt; }
static inline uint64_t sv_address_of_gdt(void) { return (uint64_t)sv_gdt; }
static inline uint64_t sv_address_of_tss(void) { return (uint64_t)sv_tss; }
static inline uint64_t sv_address_of_kernel_stack_top(void) { return (uint64_t)sv_kernel_stack_top; }
static inline uint64_t sv_address_of_vif_page(void) { return (uint64_t)sv_vif_page; }
static inline uint64_t sv_address_of_ist2_top(void) { return (uint64_t)sv_ist2_top; }
extern char sv_pvh_boot_info[];
extern char sv_ist3_top[], sv_debug_state_page[];
static inline uint64_t sv_address_of_ist3_top(void) { return (uint64_t)sv_ist3_top; }
static inline uint64_t sv_address_of_debug_state_page(void) { return (uint64_t)sv_debug_state_page; }
/* Debug registers (SDM Vol. 3 §17.2); privileged, so they trap on PVM. */
static inline uint64_t sv_read_dr6(void) { uint64_t v; __asm__ volatile("mov %%dr6, %0" : "=r"(v)); return v; }
static inline void sv_write_dr6(uint64_t v) { __asm__ volatile("mov %0, %%dr6" :: "r"(v)); }
static inline void sv_write_dr7(uint64_t v) { __asm__ volatile("mov %0, %%dr7" :: "r"(v)); }
static inline void sv_write_dr0(uint64_t v) { __asm__ volatile("mov %0, %%dr0" :: "r"(v)); }
static inline void sv_write_dr1(uint64_t v) { __asm__ volatile("mov %0, %%dr1" :: "r"(v)); }
static inline void sv_write_dr2(uint64_t v) { __asm__ volatile("mov %0, %%dr2" :: "r"(v)); }
static inline void sv_write_dr3(uint64_t v) { __asm__ volatile("mov %0, %%dr3" :: "r"(v)); }
void sv_debug_register_probe(void);   /* Swift (Boot.swift): the test.debugregs target */
static inline uint64_t sv_address_of_debug_register_probe(void) { return (uint64_t)sv_debug_register_probe; }
static inline uint64_t sv_read_efer(void) { return sv_rdmsr(0xc0000080); }
static inline uint64_t sv_address_of_pvh_boot_info(void) { return (uint64_t)sv_pvh_boot_info; }

/* runtime.c: the console's line buffer (SV_CONSOLE_WRITE_MAX bytes) behind its sv_console_write header. */
uint8_t *sv_console_line_buffer(void);
struct sv_console_write;
struct sv_console_write *sv_console_write_header(void);

/* MMIO (LAPIC): volatile 32-bit accesses through the direct map. */
static inline uint32_t sv_mmio_read32(uint64_t address) { return *(volatile uint32_t *)address; }
static inline void sv_mmio_write32(uint64_t address, uint32_t value) { *(volatile uint32_t *)address = value; }
/* The VIF byte and pending flag (PVM.md §6): plain byte accesses the compiler must not elide. */
static inline uint8_t sv_volatile_load8(uint64_t address) { return *(volatile uint8_t *)address; }
static inline void sv_volatile_store8(uint64_t address, uint8_t value) { *(volatile uint8_t *)address = value; }

#endif
