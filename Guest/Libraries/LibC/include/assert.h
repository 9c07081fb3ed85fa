/* assert.h — C11 7.2. A false assertion prints glibc's message and aborts (LibCPosix/Assert.swift).
 * Not include-guarded: C11 7.2p1, each inclusion re-reads NDEBUG. */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
_Noreturn void __assert_fail(const char *expression, const char *file, unsigned line, const char *function);
#define assert(e) ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))
#endif
#ifndef __cplusplus
#define static_assert _Static_assert
#endif
