/* module.c — the shared object DynamicLoadingTests loads on the host with LibCDynamic (built by
 * build/bin/swiftvm-cc -shared -fPIC, as the guest's are): a call into the loader's resolver
 * (callback, through the PLT: R_X86_64_JUMP_SLOT), a pointer to its own data (R_X86_64_RELATIVE),
 * a pointer to a resolved function (R_X86_64_64), an undefined weak symbol (R_X86_64_GLOB_DAT, 0)
 * and a constructor (DT_INIT_ARRAY). */
extern int callback(int);
extern int missing_weak(void) __attribute__((weak));
int counter = 5;
int *pointer = &counter;
int (*function_pointer)(int) = callback;
static int constructed;
/* It calls out, so the compiler cannot run it at compile time (as -O2 does with a constructor
 * whose effect it can compute) and it stays in DT_INIT_ARRAY. */
__attribute__((constructor)) static void construct(void) { constructed += 100 + callback(0); }
int twice(int x) { return callback(x) * 2 + *pointer + constructed; }
int has_weak(void) { return missing_weak ? 1 : 0; }
int through_pointer(int x) { return function_pointer(x) + 1; }
