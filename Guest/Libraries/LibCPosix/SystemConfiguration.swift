// SystemConfiguration.swift — sysconf (XSH) and getpagesize: the values this system has. Names
// with glibc's numbers (LibC/include/unistd.h); EINVAL for a name this system does not know.
import UserRuntime

/// The kernel's page frames: (page size, all, free), or nil if it does not say.
private func memory() -> (UInt64, UInt64, UInt64)? {
    var info = sv_memory_info()
    return sv_syscall1(Int64(SV_SYS_MEMORY_INFO), UInt64(UInt(bitPattern: withUnsafeMutablePointer(to: &info) { $0 }))) == 0
        ? (info.page_size, info.total_frames, info.free_frames) : nil
}

@_cdecl("sysconf")
public func sysconf(_ name: Int32) -> Int {
    switch name {
    case 30: return 4096                              // _SC_PAGESIZE: x86-64's small page, as mmap maps
    case 2: return 100                                // _SC_CLK_TCK: Linux's USER_HZ, the unit of clock ticks
    case 4: return Int(SV_DESCRIPTORS_MAX)            // _SC_OPEN_MAX: descriptors per process (EMFILE beyond)
    case 0: return Int(SV_ENVIRONMENT_MAX)            // _SC_ARG_MAX: exec's arguments and environment share it
    case 83, 84: return 1                             // _SC_NPROCESSORS_CONF/_ONLN: the VMM gives the guest one vCPU
    case 85, 86:                                      // _SC_PHYS_PAGES, _SC_AVPHYS_PAGES
        guard let (_, all, free) = memory() else { return -1 }
        return Int(name == 85 ? all : free)
    default:
        setErrno(EINVAL)
        return -1
    }
}

@_cdecl("getpagesize")
public func getpagesize() -> Int32 { 4096 }
