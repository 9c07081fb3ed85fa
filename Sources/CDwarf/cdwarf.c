// cdwarf.c — libdw through dlopen: function pointers resolved once, then thin calls. The only
// logic is walking DWARF scopes to the innermost function, which needs libdw's C types.
#include "cdwarf.h"
#include <dlfcn.h>
#include <elfutils/libdwfl.h>
#include <dwarf.h>
#include <stdlib.h>
#include <pthread.h>

static struct {
    Dwfl *(*begin)(const Dwfl_Callbacks *);
    void (*end)(Dwfl *);
    int (*errno_)(void);
    const char *(*errmsg)(int);
    void (*report_begin)(Dwfl *);
    Dwfl_Module *(*report_offline)(Dwfl *, const char *, const char *, int);
    int (*report_end)(Dwfl *, int (*)(Dwfl_Module *, void *, const char *, Dwarf_Addr, void *), void *);
    Dwfl_Module *(*addrmodule)(Dwfl *, Dwarf_Addr);
    Dwarf *(*module_getdwarf)(Dwfl_Module *, Dwarf_Addr *);
    int (*get_units)(Dwarf *, Dwarf_CU *, Dwarf_CU **, Dwarf_Half *, uint8_t *, Dwarf_Die *, Dwarf_Die *);
    int (*haspc)(Dwarf_Die *, Dwarf_Addr);
    Dwarf_Line *(*getsrc_die)(Dwarf_Die *, Dwarf_Addr);
    const char *(*linesrc)(Dwarf_Line *, Dwarf_Word *, Dwarf_Word *);
    int (*lineno)(Dwarf_Line *, int *);
    int (*child)(Dwarf_Die *, Dwarf_Die *);
    int (*siblingof)(Dwarf_Die *, Dwarf_Die *);
    int (*getsymtab)(Dwfl_Module *);
    const char *(*getsym_info)(Dwfl_Module *, int, GElf_Sym *, GElf_Addr *, GElf_Word *, Elf **, Dwarf_Addr *);
    int (*tag)(Dwarf_Die *);
    Dwarf_Attribute *(*attr_integrate)(Dwarf_Die *, unsigned int, Dwarf_Attribute *);
    const char *(*formstring)(Dwarf_Attribute *);
    int (*find_elf)(Dwfl_Module *, void **, const char *, Dwarf_Addr, char **, Elf **);
    int (*find_debuginfo)(Dwfl_Module *, void **, const char *, Dwarf_Addr, const char *, const char *, GElf_Word, char **);
    int (*section_address)(Dwfl_Module *, void **, const char *, Dwarf_Addr, const char *, GElf_Word, const GElf_Shdr *, Dwarf_Addr *);
} dw;

static const char *load_error = "libdw not loaded";
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load(void) {
    void *h = dlopen("libdw.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!h) { load_error = "cannot load libdw.so.1 (install libdw1 / libdw-dev)"; return; }
#define SYM(field, name) if (!(*(void **)&dw.field = dlsym(h, name))) { load_error = "libdw.so.1 lacks " name; return; }
    SYM(begin, "dwfl_begin") SYM(end, "dwfl_end") SYM(errno_, "dwfl_errno") SYM(errmsg, "dwfl_errmsg")
    SYM(report_begin, "dwfl_report_begin") SYM(report_offline, "dwfl_report_offline")
    SYM(report_end, "dwfl_report_end") SYM(addrmodule, "dwfl_addrmodule")
    SYM(module_getdwarf, "dwfl_module_getdwarf")
    SYM(get_units, "dwarf_get_units") SYM(haspc, "dwarf_haspc") SYM(getsrc_die, "dwarf_getsrc_die")
    SYM(linesrc, "dwarf_linesrc") SYM(lineno, "dwarf_lineno") SYM(child, "dwarf_child") SYM(siblingof, "dwarf_siblingof")
    SYM(getsymtab, "dwfl_module_getsymtab") SYM(getsym_info, "dwfl_module_getsym_info") SYM(tag, "dwarf_tag")
    SYM(attr_integrate, "dwarf_attr_integrate") SYM(formstring, "dwarf_formstring")
    SYM(find_elf, "dwfl_build_id_find_elf") SYM(find_debuginfo, "dwfl_standard_find_debuginfo")
    SYM(section_address, "dwfl_offline_section_address")
#undef SYM
    load_error = NULL;
}

const char *cdwarf_load(void) {
    pthread_once(&load_once, load);
    return load_error;
}

struct cdwarf_session {
    Dwfl *dwfl;
    Dwfl_Module *module;
    Dwfl_Callbacks callbacks;
};

// The callbacks libdwfl's offline reporting expects (libdwfl.h: dwfl_report_offline).
static int find_elf(Dwfl_Module *m, void **u, const char *n, Dwarf_Addr a, char **f, Elf **e) { return dw.find_elf(m, u, n, a, f, e); }
static int find_debuginfo(Dwfl_Module *m, void **u, const char *n, Dwarf_Addr a, const char *f, const char *d, GElf_Word c, char **p) { return dw.find_debuginfo(m, u, n, a, f, d, c, p); }
static int section_address(Dwfl_Module *m, void **u, const char *n, Dwarf_Addr a, const char *s, GElf_Word i, const GElf_Shdr *h, Dwarf_Addr *o) { return dw.section_address(m, u, n, a, s, i, h, o); }

cdwarf_session *cdwarf_open(const char *path, const char **error) {
    cdwarf_session *s = calloc(1, sizeof *s);
    if (!s) { *error = "out of memory"; return NULL; }
    s->callbacks.find_elf = find_elf;
    s->callbacks.find_debuginfo = find_debuginfo;
    s->callbacks.section_address = section_address;
    s->dwfl = dw.begin(&s->callbacks);
    if (!s->dwfl) { *error = dw.errmsg(-1); free(s); return NULL; }
    dw.report_begin(s->dwfl);
    if (!(s->module = dw.report_offline(s->dwfl, "", path, -1))) { *error = dw.errmsg(-1); dw.end(s->dwfl); free(s); return NULL; }
    dw.report_end(s->dwfl, NULL, NULL);
    return s;
}

int cdwarf_has_debug_info(cdwarf_session *s) {
    Dwarf_Addr bias;
    return dw.module_getdwarf(s->module, &bias) != NULL;
}

/// The linkage (mangled) name of a subprogram or inlined subroutine, following abstract origins.
static const char *die_name(Dwarf_Die *die) {
    Dwarf_Attribute attr;
    const unsigned int names[] = { DW_AT_linkage_name, DW_AT_MIPS_linkage_name, DW_AT_name };
    for (int i = 0; i < 3; i++) {
        if (dw.attr_integrate(die, names[i], &attr)) {
            const char *n = dw.formstring(&attr);
            if (n) return n;
        }
    }
    return NULL;
}

/// The ELF symbol for an address, chosen as binutils does: the nearest one at or below it; at
/// equal addresses a function over an untyped label, then the first in the table (so `_start`, not
/// the linker script's `__kernel_start` alias). dwfl_module_addrname prefers differently.
static const char *symbol_name(Dwfl_Module *m, Dwarf_Addr address) {
    int n = dw.getsymtab(m);
    const char *best = NULL;
    GElf_Addr best_value = 0;
    int best_func = 0;
    for (int i = 1; i < n; i++) {
        GElf_Sym sym;
        GElf_Addr value;
        GElf_Word shndx;
        const char *name = dw.getsym_info(m, i, &sym, &value, &shndx, NULL, NULL);
        if (!name || !*name || shndx == SHN_UNDEF || shndx == SHN_ABS) continue;
        int type = GELF_ST_TYPE(sym.st_info);
        if (type != STT_FUNC && type != STT_NOTYPE) continue;
        if (value > address || (sym.st_size && address >= value + sym.st_size)) continue;
        int func = type == STT_FUNC;
        if (!best || value > best_value || (value == best_value && func && !best_func)) {
            best = name;
            best_value = value;
            best_func = func;
        }
    }
    return best;
}

/// Depth first, the innermost subprogram or inlined subroutine under `parent` whose ranges hold
/// `pc`, its name left in *name; 1 if one was found. Done by hand because dwarf_getscopes prunes
/// DIEs without ranges, and Swift nests its functions in a DW_TAG_module that has none.
static int innermost_function(Dwarf_Die *parent, Dwarf_Addr pc, const char **name, int depth) {
    Dwarf_Die child;
    if (depth > 64 || dw.child(parent, &child) != 0) return 0;
    do {
        int tag = dw.tag(&child);
        if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine || tag == DW_TAG_lexical_block) {
            if (dw.haspc(&child, pc) > 0) {
                const char *n = tag == DW_TAG_lexical_block ? NULL : die_name(&child);
                if (n) *name = n;
                innermost_function(&child, pc, name, depth + 1);
                return 1;
            }
        } else if (tag == DW_TAG_module || tag == DW_TAG_namespace || tag == DW_TAG_structure_type ||
                   tag == DW_TAG_class_type || tag == DW_TAG_enumeration_type || tag == DW_TAG_union_type) {
            if (innermost_function(&child, pc, name, depth + 1)) return 1;
        }
    } while (dw.siblingof(&child, &child) == 0);
    return 0;
}

int cdwarf_lookup(cdwarf_session *s, uint64_t address, cdwarf_location *out) {
    out->function = out->symbol = out->file = NULL;
    out->line = 0;
    Dwfl_Module *m = dw.addrmodule(s->dwfl, address);
    if (!m) return 0;
    out->symbol = symbol_name(m, address);
    // The CU is found by scanning each unit's ranges rather than through .debug_aranges
    // (dwfl_module_getsrc): swiftc's objects contribute no aranges, so the linked kernel's
    // .debug_aranges covers only its assembly and libdw would find no CU for Swift code.
    Dwarf_Addr bias = 0;
    Dwarf *dbg = dw.module_getdwarf(m, &bias);
    Dwarf_Addr pc = address - bias;
    Dwarf_CU *unit = NULL;
    Dwarf_Die cu;
    while (dbg && dw.get_units(dbg, unit, &unit, NULL, NULL, &cu, NULL) == 0) {
        if (dw.haspc(&cu, pc) <= 0) continue;
        Dwarf_Line *line = dw.getsrc_die(&cu, pc);
        if (line) {
            out->file = dw.linesrc(line, NULL, NULL);
            dw.lineno(line, &out->line);
        }
        innermost_function(&cu, pc, &out->function, 0);
        break;
    }
    if (!out->function) out->function = out->symbol;
    return 1;
}

void cdwarf_close(cdwarf_session *s) {
    if (!s) return;
    dw.end(s->dwfl);
    free(s);
}
