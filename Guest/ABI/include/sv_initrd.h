/* sv_initrd.h — the initial ramdisk archive: a header, a table of entries, then the file bytes.
 * Written by `swiftvm initrd` on the host, read by the kernel (Guest/Libraries/Initrd).
 *
 *   offset 0   struct sv_initrd_header   (32 bytes)
 *   offset 32  struct sv_initrd_entry[entry_count]   (64 bytes each)
 *   ...        file data, each file at an 8-byte aligned offset inside the archive
 *
 * All integers little-endian. Names are NUL-padded, at most 47 bytes, no '/' and not empty.
 */
#ifndef SWIFTVM_INITRD_H
#define SWIFTVM_INITRD_H

#define SV_INITRD_MAGIC       0x44525449564d5653ULL   /* "SVMVITRD" */
#define SV_INITRD_VERSION     1
#define SV_INITRD_NAME_MAX    47

#ifndef __ASSEMBLER__
#include <stdint.h>

struct sv_initrd_header {
    uint64_t magic;
    uint32_t version;
    uint32_t entry_count;
    uint64_t total_size;     /* bytes of the whole archive */
    uint64_t reserved;
};

struct sv_initrd_entry {
    char     name[48];
    uint64_t offset;         /* from the start of the archive */
    uint64_t size;
};

#ifndef __cplusplus
_Static_assert(sizeof(struct sv_initrd_header) == 32, "initrd header layout");
_Static_assert(sizeof(struct sv_initrd_entry) == 64, "initrd entry layout");
#endif

#endif /* __ASSEMBLER__ */

#endif
