/* dlmain.c — dlopen, dlsym, dlclose and dlerror (XSH) on dlmodule.so, built with -rdynamic so the
 * module's calls come back into this program. The guest build (swiftvm-cc) prints what the host's
 * glibc build prints; hostile files are refused with a message naming the file.
 *   dlmain DIR        (DIR holds dlmodule.so; the program writes its hostile files to /tmp) */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int program_counter = 0;
int program_callback(int x) { program_counter++; return x + 1000; }

/* dlopen of PATH must fail, with a dlerror that names it. */
static void refused(const char *what, const char *path) {
    void *h = dlopen(path, RTLD_NOW);
    const char *e = dlerror();
    printf("%s: %s, %s\n", what, h ? "opened" : "refused", e && strstr(e, path) ? "the message names the file" : "no message");
    if (h) dlclose(h);
}

static void write_file(const char *path, const unsigned char *bytes, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, n, f) != n || fclose(f) != 0) { printf("FAIL writing %s\n", path); exit(1); }
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    char path[512];
    snprintf(path, sizeof path, "%s/dlmodule.so", dir);
    printf("dlerror before anything: %s\n", dlerror() ? "set" : "NULL");
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) { printf("FAIL dlopen: %s\n", dlerror()); return 1; }
    printf("dlerror after a success: %s\n", dlerror() ? "set" : "NULL");
    int (*call)(int) = (int (*)(int))dlsym(h, "module_call");
    int *value = dlsym(h, "module_value");
    int **pointer = dlsym(h, "module_pointer");
    const char *(*greeting)(void) = (const char *(*)(void))dlsym(h, "module_greeting");
    int (*constructed)(void) = (int (*)(void))dlsym(h, "module_constructed");
    unsigned long (*length)(const char *) = (unsigned long (*)(const char *))dlsym(h, "module_strlen");
    if (!call || !value || !pointer || !greeting || !constructed || !length) { printf("FAIL dlsym: %s\n", dlerror()); return 1; }
    int first = call(5);
    printf("module_call(5) = %d (program_counter %d)\n", first, program_counter);
    int second = call(7);
    printf("module_call(7) = %d (program_counter %d)\n", second, program_counter);
    printf("module_value = %d, module_pointer points at it: %s\n", *value, *pointer == value ? "yes" : "no");
    printf("%s; strlen through the program: %lu\n", greeting(), length("seventeen letters"));
    printf("constructor ran %d time(s)\n", constructed());
    printf("dlsym of a missing symbol: %s\n", dlsym(h, "no_such_symbol") ? "found" : "NULL");
    const char *e = dlerror();
    printf("dlerror names it: %s\n", e && strstr(e, "no_such_symbol") ? "yes" : "no");
    printf("dlerror again: %s\n", dlerror() ? "set" : "NULL");
    printf("RTLD_DEFAULT finds the program's program_callback: %s\n",
           dlsym(RTLD_DEFAULT, "program_callback") == (void *)program_callback ? "yes" : "no");
    void *self = dlopen(NULL, RTLD_NOW);
    printf("dlopen(NULL) finds program_counter: %s\n", self && dlsym(self, "program_counter") == (void *)&program_counter ? "yes" : "no");
    void *again = dlopen(path, RTLD_LAZY | RTLD_GLOBAL);
    printf("the same file again: %s\n", again == h ? "the same handle" : "another handle");
    printf("RTLD_GLOBAL made module_value global: %s\n", dlsym(RTLD_DEFAULT, "module_value") == (void *)value ? "yes" : "no");
    printf("constructor ran %d time(s)\n", constructed());
    int c1 = dlclose(again);
    printf("dlclose: %d, still there: %s\n", c1, dlsym(h, "module_call") == (void *)call ? "yes" : "no");
    int c2 = dlclose(h);
    printf("dlclose: %d\n", c2);

    snprintf(path, sizeof path, "%s/no-such-module.so", dir);
    refused("a missing file", path);
    /* Hostile files: text, an empty file, the module cut short, and its header damaged. */
    const char *text = "this is not an ELF file\n";
    write_file("/tmp/dl-text.so", (const unsigned char *)text, strlen(text));
    refused("a text file", "/tmp/dl-text.so");
    write_file("/tmp/dl-empty.so", (const unsigned char *)"", 0);
    refused("an empty file", "/tmp/dl-empty.so");
    snprintf(path, sizeof path, "%s/dlmodule.so", dir);
    FILE *f = fopen(path, "rb");
    static unsigned char module[1 << 20];
    size_t n = f ? fread(module, 1, sizeof module, f) : 0;
    if (f) fclose(f);
    if (n < 4096) { printf("FAIL reading %s (%zu bytes)\n", path, n); return 1; }
    write_file("/tmp/dl-short.so", module, 200);
    refused("the module cut to 200 bytes", "/tmp/dl-short.so");
    module[18] = 3; module[19] = 0;   /* e_machine: EM_386 */
    write_file("/tmp/dl-machine.so", module, n);
    refused("the module for another machine", "/tmp/dl-machine.so");
    printf("done\n");
    return 0;
}
