/* abi.c — empty translation unit: SwiftPM needs one source file in a C target. Including every
 * header here makes the _Static_assert layout checks run in both the host and the guest build. */
#include "sv_machine.h"
#include "sv_boot.h"
#include "sv_syscall.h"
#include "sv_errno.h"
#include "sv_initrd.h"
#include "sv_debug.h"
#include "sv_fs.h"
#include "sv_blk.h"
#include "sv_pipe.h"
#include "sv_tty.h"
