/* dlfcn.h — dynamic loading (XBD <dlfcn.h>; glibc's values). Shared objects built with
 * `swiftvm-cc -shared -fPIC` are loaded by the program itself (LibCPosix/DynamicLoading.swift):
 * their symbols bind to their own definitions, then to the main program's (linked with -E), then
 * to objects opened with RTLD_GLOBAL. Binding is immediate (RTLD_LAZY acts as RTLD_NOW). */
#ifndef _DLFCN_H
#define _DLFCN_H
#define RTLD_LAZY   0x00001
#define RTLD_NOW    0x00002
#define RTLD_GLOBAL 0x00100
#define RTLD_LOCAL  0
#define RTLD_DEFAULT ((void *)0)
void *dlopen(const char *file, int mode);
void *dlsym(void *restrict handle, const char *restrict name);
int dlclose(void *handle);
char *dlerror(void);
#endif
