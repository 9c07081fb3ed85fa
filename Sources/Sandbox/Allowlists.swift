// Allowlists.swift — the system calls each VMM thread may make once its setup is done (issue 16
// §5). Read off `strace -f` of every run mode (a command, the interactive console, --console
// virtio, disks read-write and --ephemeral, --rng, --gdb with a real gdb session, --timeout, a
// guest crash with its report, --stats, --core-dir) and kept as small as those runs allow. A call
// missing here stops the VMM with a message naming the thread and the call: add it with the
// reason, never a wider rule than the call needs.
import CKVM
import CSandbox
import Glibc

enum Allowlists {
    static func rules(for thread: SandboxedThread, options: SandboxOptions) -> [SystemCallRule] {
        var rules = runtime
        switch thread {
        case .vcpu:
            rules += vcpuIoctls.map { ioctl($0) } + terminalIoctls + output + readingFiles
            if options.writesCoreFiles { rules += writingFiles }
            // The gdb stub's socket file goes with the stub, whichever thread drops it last.
            if options.servesGDBOnUnixSocket { rules.append(SystemCallRule("unlink")) }
        case .virtio:
            rules += [SystemCallRule("epoll_wait"), SystemCallRule("epoll_pwait")] + output
                + [SystemCallRule("read"), SystemCallRule("pread64"), SystemCallRule("preadv"),
                   SystemCallRule("pwrite64"), SystemCallRule("pwritev"), SystemCallRule("fsync"),
                   SystemCallRule("fdatasync"), SystemCallRule("getrandom"), SystemCallRule("lseek"),
                   // virtio-blk discard and write-zeroes punch or zero ranges of the disk file
                   SystemCallRule("fallocate")]
        case .consoleInput:
            rules += [SystemCallRule("read")] + output + kick
        case .consoleResize:
            // HostTerminal.size: isatty (TCGETS), then TIOCGWINSZ; found by the pager's resize test.
            rules += [SystemCallRule("read"), ioctl(csandbox_TCGETS), ioctl(csandbox_TIOCGWINSZ)] + output
        case .watchdog:
            rules += kick
        case .supervisor:
            // pthread_join (futex), then the crash report: libdw by dlopen (openat, fstat, mmap
            // with PROT_EXEC for its code), the ELF files, stderr; exit restores the terminal.
            rules += readingFiles + output + terminalIoctls
                + [SystemCallRule("mmap"), SystemCallRule("mprotect"), SystemCallRule("sysinfo")]
        case .gdb:
            rules += [SystemCallRule("accept"), SystemCallRule("accept4"), SystemCallRule("poll"), SystemCallRule("ppoll"),
                      SystemCallRule("read"), SystemCallRule("recvfrom"), SystemCallRule("sendto"),
                      SystemCallRule("shutdown"), SystemCallRule("setsockopt")]
                + output + readingFiles + kick + vcpuIoctls.map { ioctl($0) }
            if options.servesGDBOnUnixSocket { rules.append(SystemCallRule("unlink")) }
        }
        return rules
    }

    /// What any thread of a Swift program does underneath: allocation (never executable memory:
    /// the VMM generates no code), locks, clocks, signal returns, thread exit — and what the SIGSYS
    /// reporter itself calls (prctl PR_GET_NAME, write to stderr, exit_group).
    static let runtime: [SystemCallRule] = [
        SystemCallRule("mmap", [.masked(index: 2, mask: UInt64(PROT_EXEC), equals: 0)]),
        SystemCallRule("mprotect", [.masked(index: 2, mask: UInt64(PROT_EXEC), equals: 0)]),
        SystemCallRule("munmap"), SystemCallRule("mremap"), SystemCallRule("madvise"), SystemCallRule("brk"),
        SystemCallRule("futex"), SystemCallRule("sched_yield"), SystemCallRule("nanosleep"), SystemCallRule("clock_nanosleep"),
        SystemCallRule("clock_gettime"), SystemCallRule("gettimeofday"), SystemCallRule("getpid"), SystemCallRule("gettid"),
        SystemCallRule("rt_sigprocmask"), SystemCallRule("rt_sigreturn"), SystemCallRule("restart_syscall"),
        SystemCallRule("prctl", [.equals(index: 0, UInt64(csandbox_PR_GET_NAME))]),
        SystemCallRule("exit"), SystemCallRule("exit_group"), SystemCallRule("close"),
    ]

    /// Writing to descriptors already open: stdout/stderr, eventfds (irqfd, the loop's wake-up).
    static let output: [SystemCallRule] = [SystemCallRule("write"), SystemCallRule("writev")]

    /// Opening files for reading only (symbol files for gdb and crash reports, /proc/self/status
    /// for --stats): no O_WRONLY, O_RDWR, O_CREAT or O_TRUNC.
    static let readingFiles: [SystemCallRule] = [
        SystemCallRule("openat", [.masked(index: 2, mask: UInt64(O_WRONLY | O_RDWR | O_CREAT | O_TRUNC), equals: 0)]),
        SystemCallRule("read"), SystemCallRule("pread64"), SystemCallRule("lseek"), SystemCallRule("fstat"),
        SystemCallRule("newfstatat"), SystemCallRule("statx"), SystemCallRule("readlink"), SystemCallRule("getdents64"),
        SystemCallRule("fcntl"), SystemCallRule("access"),
        SystemCallRule("getcwd"),   // realpath of a relative symbol path (ProgramSymbols)
    ]

    /// Core files (--core-dir): created and written.
    static let writingFiles: [SystemCallRule] = [
        SystemCallRule("openat"), SystemCallRule("pwrite64"), SystemCallRule("ftruncate"), SystemCallRule("fsync"),
        SystemCallRule("mkdir"), SystemCallRule("rename"), SystemCallRule("unlink"),
    ]

    /// VCPUKicker: SIGUSR1 to the vCPU thread of this process (pthread_kill is tgkill; the
    /// getpid it makes is in `runtime`). The vCPU's handler returns through rt_sigreturn (runtime).
    static let kick: [SystemCallRule] = [
        SystemCallRule("tgkill", [.equals(index: 2, UInt64(SIGUSR1))]),
    ]

    /// The KVM requests the vCPU loop and the gdb stub make after setup: run, registers, debug
    /// state, the serial interrupt line. Creating VMs, vCPUs, memory slots or eventfds is setup.
    static let vcpuIoctls: [UInt] = [
        CKVM_RUN, CKVM_GET_REGS, CKVM_SET_REGS, CKVM_GET_SREGS, CKVM_SET_SREGS, CKVM_GET_FPU, CKVM_SET_FPU,
        CKVM_GET_MSRS, CKVM_SET_MSRS, CKVM_SET_GUEST_DEBUG, CKVM_TRANSLATE, CKVM_GET_DEBUGREGS, CKVM_SET_DEBUGREGS,
        CKVM_GET_VCPU_EVENTS, CKVM_GET_MP_STATE, CKVM_IRQ_LINE,
    ].map { UInt($0) }

    /// The console's raw mode restored at exit, and its size.
    static let terminalIoctls: [SystemCallRule] = [
        ioctl(csandbox_TCGETS), ioctl(csandbox_TCSETS), ioctl(csandbox_TIOCGWINSZ),
    ]

    /// ioctl(fd, request, …) for one request; the request is an unsigned int in the kernel
    /// (fs/ioctl.c), so only its low 32 bits are compared.
    static func ioctl(_ request: UInt) -> SystemCallRule {
        SystemCallRule("ioctl", [.masked(index: 1, mask: 0xffff_ffff, equals: UInt64(request))])
    }
}
