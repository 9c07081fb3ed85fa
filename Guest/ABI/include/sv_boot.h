/* sv_boot.h — the boot-info structure the VMM hands the kernel (and the kernel builds itself from a
 * PVH start_info when booted by QEMU). One definition, read by both sides.
 *
 * Entry protocol (swiftvm VMM): the vCPU starts in 64-bit mode at the ELF entry (a virtual address
 * in the direct map), CR0 0x80050033, CR4 0x6a0, EFER 0xd01, CS 0x10 / SS 0x18 (HOST.md rule 1),
 * CR3 = SV_BOOT_PT_GPA mapping SV_DIRECT_MAP_BASE + [0, 4 GiB) with 2 MiB pages, U=1 at every
 * level (HOST.md rule 6), rdi = SV_BOOT_INFO_GPA (physical), rsp = 0 (the kernel sets its own).
 */
#ifndef SWIFTVM_BOOT_H
#define SWIFTVM_BOOT_H

#define SV_BOOT_MAGIC           0x31544f4f424d5653ULL   /* "SVMBOOT1" little-endian */
#define SV_BOOT_VERSION         1
#define SV_BOOT_MAX_REGIONS     32
#define SV_BOOT_MAX_DEVICES     16

/* sv_boot_info.flags */
#define SV_BOOT_FLAG_PVM        (1u << 0)   /* the VMM saw the PVM signature MSR: register the VIF page */
#define SV_BOOT_FLAG_DEBUGGER   (1u << 1)   /* a gdb stub is attached: traps go to the debug channel */
#define SV_BOOT_FLAG_PVH        (1u << 2)   /* built by the kernel from a PVH start_info (QEMU) */
#define SV_BOOT_FLAG_CONSOLE_PORT (1u << 3) /* SV_PORT_CONSOLE_WRITE exists (swiftvm's VMM) */
#define SV_BOOT_FLAG_INTERACTIVE (1u << 4)  /* a person types on the console (the VMM's stdin is a terminal) */
#define SV_BOOT_FLAG_CORE_DUMPS (1u << 5)   /* the VMM writes core files: user faults go to the debug
                                               channel (SV_DEBUG_REASON_FAULT) even without a gdb stub */

/* sv_mem_region.type */
#define SV_MEM_RAM              1
#define SV_MEM_RESERVED         2

/* sv_device.kind */
#define SV_DEVICE_VIRTIO_MMIO   1

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The buffer SV_PORT_CONSOLE_WRITE prints: `length` bytes follow the header (at most
 * SV_CONSOLE_WRITE_MAX); it must lie entirely in guest RAM. */
#define SV_CONSOLE_WRITE_MAX    4096
struct sv_console_write {
    uint32_t length;
    uint32_t reserved;
    /* uint8_t bytes[length] follows */
};

struct sv_mem_region {
    uint64_t base;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
};

struct sv_device {
    uint64_t mmio_base;     /* guest-physical */
    uint64_t mmio_size;
    uint32_t kind;          /* SV_DEVICE_* */
    uint32_t irq;           /* IOAPIC pin / GSI */
    uint32_t virtio_id;     /* virtio device id (virtio 1.2 §5): 2 block, 3 console, 4 entropy */
    uint32_t reserved;
};

struct sv_boot_info {
    uint64_t magic;          /* SV_BOOT_MAGIC */
    uint32_t version;        /* SV_BOOT_VERSION */
    uint32_t size;           /* sizeof(struct sv_boot_info) */
    uint64_t flags;          /* SV_BOOT_FLAG_* */
    uint64_t tsc_khz;        /* 0 if unknown */
    uint64_t cmdline_addr;   /* guest-physical, NUL-terminated */
    uint64_t cmdline_size;   /* bytes, without the NUL */
    uint64_t initrd_addr;    /* guest-physical, page aligned; 0 if none */
    uint64_t initrd_size;
    uint64_t kernel_start;   /* guest-physical range the kernel image occupies (incl. .bss) */
    uint64_t kernel_end;
    uint32_t region_count;
    uint32_t device_count;
    struct sv_mem_region regions[SV_BOOT_MAX_REGIONS];
    struct sv_device devices[SV_BOOT_MAX_DEVICES];
};

#ifndef __cplusplus
_Static_assert(sizeof(struct sv_mem_region) == 24, "sv_mem_region layout");
_Static_assert(sizeof(struct sv_device) == 32, "sv_device layout");
_Static_assert(sizeof(struct sv_boot_info) == 88 + 32 * 24 + 16 * 32, "sv_boot_info layout");
_Static_assert(sizeof(struct sv_boot_info) <= 4096, "boot info fits its page");
#endif

#endif /* __ASSEMBLER__ */

#endif
