/* ckvm.c — empty: SwiftPM needs one source file in a C target; everything is in ckvm.h. */
#include "ckvm.h"
