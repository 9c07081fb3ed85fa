/* runtime.c — kernel-side runtime glue (no logic): the free() forwarder and early storage. */
#include <stdint.h>

/* free: Swift reserves the name, so the kernel's heap (Swift, Runtime.swift) is reached through
 * this forwarder. */
void sv_heap_free(void *p);
void free(void *p) { sv_heap_free(p); }

/* Storage the Swift kernel uses before its heap exists (no logic): the console line buffer. */
static uint8_t console_line[256];
uint8_t *sv_console_line_buffer(void) { return console_line; }
