/* dlmodule.c — the shared object dlmain.c loads (swiftvm-cc -shared -fPIC, or the host's cc for
 * the glibc build): it calls back into the program (a function and a variable the program exports
 * with -rdynamic), calls the C library through the program, and has a constructor. */
#include <string.h>
extern int program_callback(int x);
extern int program_counter;
static int constructed;
/* It reads the program's variable, so the compiler cannot run it at compile time (as -O2 does
 * with a constructor whose effect it can compute) and it stays in DT_INIT_ARRAY. */
__attribute__((constructor)) static void construct(void) { constructed += program_counter >= 0; }
int module_value = 42;
int *module_pointer = &module_value;
int module_call(int x) { return program_callback(x) * 2 + program_counter; }
const char *module_greeting(void) { return "hello from the module"; }
int module_constructed(void) { return constructed; }
unsigned long module_strlen(const char *s) { return strlen(s); }
