/* chostsupport.c — empty: everything in chostsupport.h is static inline. SwiftPM needs one source file. */
#include "chostsupport.h"
