// Polling.swift — poll and select (XSH) on the kernel's poll (sv_syscall.h: SV_SYS_POLL).
// struct pollfd (8 bytes): fd Int32 at 0, events Int16 at 4, revents Int16 at 6.
import UserRuntime

private let POLLIN: Int16 = 0x001, POLLOUT: Int16 = 0x004, POLLERR: Int16 = 0x008, POLLHUP: Int16 = 0x010,
            POLLNVAL: Int16 = 0x020, POLLRDNORM: Int16 = 0x040, POLLWRNORM: Int16 = 0x100
private let EBADF: Int32 = 9

/// poll: POLLRDNORM/POLLWRNORM are POLLIN/POLLOUT here (no priority bands).
/// SAFETY: `fds` is the caller's array of `count` struct pollfd (XSH poll).
@_cdecl("poll")
public func poll(_ fds: UnsafeMutableRawPointer?, _ count: UInt, _ timeout: Int32) -> Int32 {
    let entries = UnsafeMutableRawBufferPointer(start: fds, count: fds == nil ? 0 : Int(count) * 8)
    func events(_ i: Int) -> Int16 { entries.load(fromByteOffset: i * 8 + 4, as: Int16.self) }
    func revents(_ i: Int) -> Int16 { entries.load(fromByteOffset: i * 8 + 6, as: Int16.self) }
    let n = entries.count / 8
    for i in 0..<n {
        var e = events(i)
        if e & POLLRDNORM != 0 { e |= POLLIN }
        if e & POLLWRNORM != 0 { e |= POLLOUT }
        entries.storeBytes(of: e, toByteOffset: i * 8 + 4, as: Int16.self)
    }
    if count > 0 { standardOutputFlush() }   // what was printed shows before the wait
    let ready = Int32(checkedCall(sv_syscall3(Int64(SV_SYS_POLL), address(fds), UInt64(count), argument(timeout))))
    if ready > 0 {
        for i in 0..<n {
            var r = revents(i)
            if r & POLLIN != 0 && events(i) & POLLRDNORM != 0 { r |= POLLRDNORM }
            if r & POLLOUT != 0 && events(i) & POLLWRNORM != 0 { r |= POLLWRNORM }
            entries.storeBytes(of: r, toByteOffset: i * 8 + 6, as: Int16.self)
        }
    }
    return ready
}

/// fd_set: FD_SETSIZE (1024) bits, bit fd%64 of word fd/64.
private let setSize = 1024

/// select (XSH) on poll: one pollfd per descriptor named in any set; EINVAL for a count outside
/// 0…FD_SETSIZE or a negative timeout, EBADF for a descriptor that is not open.
/// SAFETY: each set, when not NULL, is the caller's fd_set (128 bytes); `timeout` its struct
/// timeval (seconds, µs).
@_cdecl("select")
public func select(_ count: Int32, _ readable: UnsafeMutablePointer<UInt64>?, _ writable: UnsafeMutablePointer<UInt64>?,
                   _ errors: UnsafeMutablePointer<UInt64>?, _ timeout: UnsafeMutablePointer<Int64>?) -> Int32 {
    guard count >= 0 && Int(count) <= setSize else { setErrno(EINVAL); return -1 }
    func isSet(_ set: UnsafeMutablePointer<UInt64>?, _ fd: Int) -> Bool {
        guard let set else { return false }
        return (set[fd / 64] >> UInt64(fd % 64)) & 1 != 0
    }
    var fds: [(fd: Int32, events: Int16, revents: Int16)] = []
    for fd in 0..<Int(count) {
        var e: Int16 = 0
        if isSet(readable, fd) { e |= POLLIN }
        if isSet(writable, fd) { e |= POLLOUT }
        if e != 0 || isSet(errors, fd) { fds.append((Int32(fd), e, 0)) }
    }
    var milliseconds: Int32 = -1
    if let timeout {
        guard timeout[0] >= 0 && timeout[1] >= 0 else { setErrno(EINVAL); return -1 }
        let total = timeout[0].multipliedReportingOverflow(by: 1000)
        let ms = total.overflow ? Int64.max : total.partialValue &+ (timeout[1] + 999) / 1000
        milliseconds = ms > Int64(Int32.max) || ms < 0 ? Int32.max : Int32(ms)
    }
    // (fd, events, revents) tuples are laid out as struct pollfd: Int32, Int16, Int16.
    let entries = fds.count
    let polled = fds.withUnsafeMutableBytes { poll($0.baseAddress, UInt(entries), milliseconds) }
    if polled < 0 { return -1 }
    if fds.contains(where: { $0.revents & POLLNVAL != 0 }) { setErrno(EBADF); return -1 }
    for set in [readable, writable, errors] { if let set { for w in 0..<setSize / 64 { set[w] = 0 } } }
    var ready: Int32 = 0
    for p in fds {
        let fd = Int(p.fd)
        // POSIX: a hang-up or error makes a descriptor "ready" for reading (the read will say).
        if let readable, p.events & POLLIN != 0, p.revents & (POLLIN | POLLHUP | POLLERR) != 0 {
            readable[fd / 64] |= 1 << UInt64(fd % 64); ready += 1
        }
        if let writable, p.events & POLLOUT != 0, p.revents & (POLLOUT | POLLERR) != 0 {
            writable[fd / 64] |= 1 << UInt64(fd % 64); ready += 1
        }
    }
    if let timeout { timeout[0] = 0; timeout[1] = 0 }
    return ready
}
