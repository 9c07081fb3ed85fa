/* runtime.c — kernel-side runtime glue (no logic): the free() forwarder and early storage. */
#include <stdint.h>

/* free: Swift reserves the name, so the kernel's heap (Swift, Runtime.swift) is reached through
 * this forwarder. */
void sv_heap_free(void *p);
void free(void *p) { sv_heap_free(p); }

/* Storage the Swift kernel uses before its heap exists (no logic): the console line buffer, laid
 * out as the struct sv_console_write SV_PORT_CONSOLE_WRITE prints. */
#include "sv_boot.h"
static struct { struct sv_console_write header; uint8_t bytes[SV_CONSOLE_WRITE_MAX]; } console_buffer;
uint8_t *sv_console_line_buffer(void) { return console_buffer.bytes; }
struct sv_console_write *sv_console_write_header(void) { return &console_buffer.header; }
