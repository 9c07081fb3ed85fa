/* ceventloop.c — empty: everything in ceventloop.h is static inline. SwiftPM needs one source file. */
#include "ceventloop.h"
