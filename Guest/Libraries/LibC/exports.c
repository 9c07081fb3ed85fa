/* exports.c — what C programs reach by a C name that Swift cannot give: data objects and a weak
 * reference (a Swift global has a mangled name; @_cdecl is for functions only). */
#include <stddef.h>

/* <readline/readline.h>: the program's name for GNU readline's inputrc (LibCPosix/Readline.swift
 * reads no inputrc, so it is only kept). */
const char *rl_readline_name = "other";

/* The program's own dynamic section: ld.lld defines _DYNAMIC when swiftvm-cc links a program
 * with -E (--export-dynamic), and a weak undefined reference is 0 otherwise. dlopen binds shared
 * objects to the symbols it lists (LibCPosix/DynamicLoading.swift). */
extern const char _DYNAMIC[] __attribute__((weak, visibility("hidden")));
const void *sv_program_dynamic(void) { return _DYNAMIC; }
