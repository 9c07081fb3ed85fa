// cdwarf.h — a narrow C view of elfutils' libdw for the Symbolizer module: open one ELF offline,
// map an address to its function (innermost, inlined ones included) and source line.
// libdw is loaded with dlopen on first use, so a process that never symbolizes (the running VMM)
// never maps it; only <elfutils/libdwfl.h> is needed at build time (libdw-dev).
#ifndef CDWARF_H
#define CDWARF_H
#include <stdint.h>

typedef struct cdwarf_session cdwarf_session;

/// What one address maps to. Strings belong to libdw and live until cdwarf_close; NULL if unknown.
typedef struct cdwarf_location {
    const char *function;   // innermost function's linkage name (inlined or not), else its name
    const char *symbol;     // the ELF symbol covering the address (the outermost function)
    const char *file;
    int line;
} cdwarf_location;

/// Loads libdw.so.1 (once). Returns NULL on success, else a static message.
const char *cdwarf_load(void);

/// Opens `path` offline (addresses are the ELF's own virtual addresses). NULL on failure, with
/// `*error` set to libdw's message. Requires a successful cdwarf_load.
cdwarf_session *cdwarf_open(const char *path, const char **error);

/// 1 if the ELF carries DWARF debug information, else 0.
int cdwarf_has_debug_info(cdwarf_session *session);

/// Fills `out` for `address`; returns 0 if no module covers it, 1 otherwise.
int cdwarf_lookup(cdwarf_session *session, uint64_t address, cdwarf_location *out);

void cdwarf_close(cdwarf_session *session);

#endif
