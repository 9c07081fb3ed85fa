/* sv_machine.h — the swiftvm machine map: guest-physical layout, ports, IRQs, virtual layout.
 * Shared by the VMM (Sources/VMM), the kernel and user programs; this file is the contract.
 *
 * Guest-physical memory as the VMM sets it up (identity: GPA == host offset into guest RAM):
 *
 *   0x0000_0000 +----------------------------+
 *               | unused (null page)          |
 *   0x0000_1000 +----------------------------+  SV_BOOT_INFO_GPA   struct sv_boot_info (sv_boot.h)
 *   0x0000_2000 +----------------------------+  SV_CMDLINE_GPA     NUL-terminated command line
 *   0x0000_3000 +----------------------------+  SV_BOOT_GDT_GPA    GDT the VMM's boot segments refer to
 *   0x0001_0000 +----------------------------+  SV_BOOT_PT_GPA     VMM-built boot page tables (64 KiB)
 *   0x0010_0000 +----------------------------+  SV_KERNEL_GPA      kernel ELF PT_LOADs (by p_paddr)
 *               | kernel image, .bss          |
 *               +----------------------------+  (page aligned) initial ramdisk
 *               | free RAM ...                |
 *   RAM end     +----------------------------+
 *   0xd000_0000 +----------------------------+  SV_VIRTIO_MMIO_BASE: virtio-mmio windows, 4 KiB each
 *   0xfec0_0000    IOAPIC       0xfee0_0000    LAPIC (in-kernel irqchip)
 *
 * Virtual layout (every address space):
 *
 *   0x0000_0000_0000_0000 +--------------------+
 *                         | user space          |  PML4 slots 0..127 (per process)
 *   0x0000_4000_0000_0000 +--------------------+  SV_DIRECT_MAP_BASE
 *                         | all of guest-physical memory, VA = SV_DIRECT_MAP_BASE + GPA;
 *                         | the kernel is linked here (SV_KERNEL_VIRT_BASE)
 *
 * Lower-half kernel: HOST.md §7 measured only lower-half mappings on this host's PVM, so the
 * kernel lives at PML4 slot 128 rather than in the upper half.
 */
#ifndef SWIFTVM_MACHINE_H
#define SWIFTVM_MACHINE_H

/* Plain literals (no suffixes, no function-like macros): the same header is read by C, by the
 * assembler and by Swift's importer. A hex literal takes the first C type it fits. */
#define SV_PAGE_SIZE            4096
#define SV_BOOT_INFO_GPA        0x1000
#define SV_CMDLINE_GPA          0x2000
#define SV_CMDLINE_MAX          4096
#define SV_BOOT_GDT_GPA         0x3000
#define SV_BOOT_PT_GPA          0x10000
#define SV_BOOT_PT_SIZE         0x10000
#define SV_KERNEL_GPA           0x100000

#define SV_DIRECT_MAP_BASE      0x0000400000000000
#define SV_KERNEL_VIRT_BASE     (SV_DIRECT_MAP_BASE + SV_KERNEL_GPA)
#define SV_USER_END             0x0000400000000000   /* first address user space may not use */
#define SV_USER_IMAGE_BASE      0x400000             /* user ELFs are linked here */
#define SV_USER_STACK_TOP       0x00003fffffe00000   /* initial user stack grows down from here */
#define SV_USER_STACK_SIZE      0x40000              /* 256 KiB, mapped at program start */
#define SV_USER_TCB_SIZE        64                   /* the thread control block every program starts with, at */
#define SV_USER_TCB_VA          (SV_USER_STACK_TOP - SV_USER_TCB_SIZE) /* the stack's top: FS base; %fs:0 holds this address, */
                                                     /* %fs:0x28 the stack protector's canary (x86-64 psABI TLS) */
#define SV_USER_STACK_MAX       0x800000             /* 8 MiB: the stack grows on demand down to STACK_TOP - this; */
                                                     /* the page below stays unmapped (the guard): past it is SIGSEGV */
#define SV_USER_MMAP_BASE       0x0000200000000000   /* mmap hands out addresses in [BASE, LIMIT) */
#define SV_USER_MMAP_LIMIT      0x0000300000000000
#define SV_USER_BRK_MAX         0x0000000040000000   /* the program break may grow this far above the program's end */
#define SV_USER_HEAP_BASE       0x0000100000000000   /* map_memory hands out addresses from here up */
#define SV_USER_HEAP_LIMIT      0x0000200000000000
#define SV_USER_STUB_VA         0x00003ffffffff000   /* the kernel's return stub page (PVM), user-executable */
#define SV_USER_DEVICE_BASE     0x0000300000000000   /* device_map(i) maps device i's window at + i * SV_USER_DEVICE_STRIDE */
#define SV_USER_DEVICE_STRIDE   0x10000              /* 64 KiB per device window */
#define SV_USER_DMA_BASE        0x0000310000000000   /* dma_alloc hands out addresses from here up */
#define SV_USER_DMA_LIMIT       0x0000320000000000
#define SV_USER_GRANT_BASE      0x0000320000000000   /* lease_map puts a caller's pages here in the server */
#define SV_USER_GRANT_LIMIT     0x0000330000000000
#define SV_GRANT_PAGES_MAX      16384                /* 64 MiB of a server's address space mapped from callers at once */
#define SV_IRQ_VECTOR_BASE      0x30                 /* IOAPIC pin n interrupts on vector 0x30 + n */

/* Port I/O devices */
#define SV_PORT_SERIAL          0x3f8     /* 16550 UART (COM1) */
#define SV_IRQ_SERIAL           4
#define SV_PORT_DEBUG_EXIT      0xf4      /* 32-bit OUT: power off with this exit status (QEMU isa-debug-exit
                                             compatible port; QEMU reports (value << 1) | 1) */
#define SV_PORT_BOOT_EVENT      0x510     /* 8-bit OUT: a boot milestone (SV_EVENT_*), timed by `swiftvm run --stats` */
#define SV_PORT_CONSOLE_WRITE   0x512     /* 32-bit OUT: guest-physical address of a struct sv_console_write:
                                             the VMM prints it like UART output, one exit per buffer
                                             instead of one per byte (boot flag SV_BOOT_FLAG_CONSOLE_PORT) */
#define SV_PORT_KERNEL_COUNTERS 0x513     /* 32-bit OUT, once at power-off: guest-physical address of the kernel's
                                             struct sv_kernel_counters (sv_syscall.h), for `swiftvm run --stats` */
#define SV_EVENT_KERNEL_NATIVE  1         /* the kernel left early boot (native mode on PVM) */
#define SV_EVENT_FIRST_USER     2         /* first entry to user mode */

/* virtio-mmio windows (virtio 1.2 §4.2.2): device i at SV_VIRTIO_MMIO_BASE + i * SV_VIRTIO_MMIO_SIZE,
 * interrupt line SV_VIRTIO_IRQ_BASE + i (IOAPIC pin). */
#define SV_VIRTIO_MMIO_BASE     0xd0000000
#define SV_VIRTIO_MMIO_SIZE     0x1000
#define SV_VIRTIO_IRQ_BASE      5
#define SV_VIRTIO_MAX_DEVICES   8

#define SV_IOAPIC_GPA           0xfec00000
#define SV_LAPIC_GPA            0xfee00000

/* GDT selectors: Linux's layout, required on PVM (HOST.md rule 1; STAR = 0x0023_0010_0000_0000). */
#define SV_SEL_KERNEL_CS        0x10
#define SV_SEL_KERNEL_SS        0x18
#define SV_SEL_USER32_CS        0x23
#define SV_SEL_USER_SS          0x2b
#define SV_SEL_USER_CS          0x33
#define SV_SEL_TSS              0x40

/* PVM (HOST.md, PVM.md §2) */
#define SV_MSR_PVM_VIF          0x4b564d10
#define SV_MSR_PVM_SIGNATURE    0x4b564d11
#define SV_PVM_SIGNATURE        0x4d5650

#endif
