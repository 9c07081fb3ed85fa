/* dlfcn.h — dynamic loading (XBD <dlfcn.h>; glibc's flag values). Programs here are linked
 * statically and the kernel loads no shared objects, so dlopen always fails: NULL, with dlerror
 * saying why; dlsym and dlclose have no handle to act on. Swift: LibCPosix/DynamicLoading.swift. */
#ifndef _DLFCN_H
#define _DLFCN_H
#define RTLD_LAZY   0x00001
#define RTLD_NOW    0x00002
#define RTLD_GLOBAL 0x00100
#define RTLD_LOCAL  0
void *dlopen(const char *file, int mode);
void *dlsym(void *restrict handle, const char *restrict name);
int dlclose(void *handle);
char *dlerror(void);
#endif
