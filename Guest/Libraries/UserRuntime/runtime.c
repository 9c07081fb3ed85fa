/* runtime.c — user-program runtime storage and glue (no logic): the heap arena, the stdout
 * buffer, and the free() forwarder (Swift reserves the name `free`). */
#include <stdint.h>
#include "sv_user.h"

#define ARENA_SIZE (256u << 10)   /* the first heap region; more comes from map_memory */
static uint8_t arena[ARENA_SIZE] __attribute__((aligned(4096)));
static uint8_t stdout_buffer[4096];

uint8_t *sv_user_heap_arena(void) { return arena; }
uint64_t sv_user_heap_arena_size(void) { return ARENA_SIZE; }
uint8_t *sv_user_stdout_buffer(void) { return stdout_buffer; }

void sv_user_heap_free(void *p);
void free(void *p) { sv_user_heap_free(p); }

static int64_t saved_argc;
static char **saved_argv;
void sv_user_set_arguments(int64_t argc, char **argv) { saved_argc = argc; saved_argv = argv; }
int64_t sv_user_argc(void) { return saved_argc; }
char **sv_user_argv(void) { return saved_argv; }

/* The signals sv_user_signal_record caught and nobody collected yet. Atomic read-modify-write:
 * the handler may interrupt the program between its load and store of the word. */
static volatile uint64_t caught_signals;
void sv_user_signal_record(int sig) {
    if (sig >= 1 && sig <= 64) __atomic_fetch_or(&caught_signals, (uint64_t)1 << (sig - 1), __ATOMIC_SEQ_CST);
}
uint64_t sv_user_take_caught_signals(void) { return __atomic_exchange_n(&caught_signals, 0, __ATOMIC_SEQ_CST); }
