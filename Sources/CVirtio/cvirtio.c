/* cvirtio.c — empty: everything in cvirtio.h is static inline. SwiftPM needs one source file. */
#include "cvirtio.h"
