// Terminal.swift — termios.h (XBD <termios.h>, XSH 11 General Terminal Interface) over ioctl, system
// call 70 (LibC/include/sys/ioctl.h, docs/TERMINAL.md). Programs see glibc's x86-64 struct termios
// (60 bytes: c_cc of 32, then c_ispeed, c_ospeed); the terminal server keeps the kernel's 36-byte
// struct (sv_tty.h), so tcgetattr and tcsetattr convert as glibc's sysdeps/unix/sysv/linux versions
// do, and the speed calls follow glibc's rules (speeds live in c_cflag's CBAUD bits; an input speed
// of B0 — "the same as the output speed" — is marked by glibc's private IBAUD0 bit in c_iflag).
// What the terminal server cannot do is answered as termios.h documents, never faked.
// SAFETY: the struct termios pointers come from C callers, which termios.h obliges to pass valid
// structs (60 bytes), as glibc does.
import UserRuntime


private let ENOTTY: Int32 = 25
private let nccs = 32
private let kernelNccs = Int(SV_NCCS)          // 19
private let cbaud: UInt32 = 0o010017           // CBAUD | CBAUDEX
private let ibaud0: UInt32 = 0o20000000000     // glibc's private c_iflag bit: input speed B0
private let b57600: UInt32 = 0o010001, b4000000: UInt32 = 0o010017

// glibc struct termios: four tcflag_t at 0…12, c_line at 16, c_cc[32] at 17, c_ispeed at 52, c_ospeed at 56.
private struct Termios {
    let p: UnsafeMutableRawPointer
    func flag(_ i: Int) -> UInt32 { p.load(fromByteOffset: 4 * i, as: UInt32.self) }
    func setFlag(_ i: Int, _ v: UInt32) { p.storeBytes(of: v, toByteOffset: 4 * i, as: UInt32.self) }
    var iflag: UInt32 { get { flag(0) } nonmutating set { setFlag(0, newValue) } }
    var oflag: UInt32 { get { flag(1) } nonmutating set { setFlag(1, newValue) } }
    var cflag: UInt32 { get { flag(2) } nonmutating set { setFlag(2, newValue) } }
    var lflag: UInt32 { get { flag(3) } nonmutating set { setFlag(3, newValue) } }
    func cc(_ i: Int) -> UInt8 { p.load(fromByteOffset: 17 + i, as: UInt8.self) }
    func setCC(_ i: Int, _ v: UInt8) { p.storeBytes(of: v, toByteOffset: 17 + i, as: UInt8.self) }
    var ispeed: UInt32 { get { p.load(fromByteOffset: 52, as: UInt32.self) } nonmutating set { p.storeBytes(of: newValue, toByteOffset: 52, as: UInt32.self) } }
    var ospeed: UInt32 { get { p.load(fromByteOffset: 56, as: UInt32.self) } nonmutating set { p.storeBytes(of: newValue, toByteOffset: 56, as: UInt32.self) } }
}

/// TCGETS into the kernel's struct: 0, or -1 with errno (ENOTTY for a descriptor that is no terminal).
private func getKernel(_ fd: Int32, _ k: inout sv_termios) -> Int32 {
    withUnsafeMutablePointer(to: &k) { cIoctl(fd, UInt(SV_TCGETS), UnsafeMutableRawPointer($0)) } < 0 ? -1 : 0
}

@_cdecl("tcgetattr")
public func tcgetattr(_ fd: Int32, _ termios: UnsafeMutableRawPointer) -> Int32 {
    var k = sv_termios()
    guard getKernel(fd, &k) == 0 else { return -1 }
    let t = Termios(p: termios)
    t.iflag = k.c_iflag; t.oflag = k.c_oflag; t.cflag = k.c_cflag; t.lflag = k.c_lflag
    termios.storeBytes(of: k.c_line, toByteOffset: 16, as: UInt8.self)
    withUnsafeBytes(of: k.c_cc) { cc in for i in 0..<nccs { t.setCC(i, i < kernelNccs ? cc[i] : 0) } }   // the rest: _POSIX_VDISABLE
    t.ispeed = k.c_cflag & cbaud
    t.ospeed = k.c_cflag & cbaud
    return 0
}

/// TCSANOW, TCSADRAIN, TCSAFLUSH → TCSETS, TCSETSW, TCSETSF; EINVAL for another action.
@_cdecl("tcsetattr")
public func tcsetattr(_ fd: Int32, _ action: Int32, _ termios: UnsafeRawPointer) -> Int32 {
    let requests = [SV_TCSETS, SV_TCSETSW, SV_TCSETSF]
    guard action >= 0 && action < 3 else { setErrno(EINVAL); return -1 }
    let t = Termios(p: UnsafeMutableRawPointer(mutating: termios))
    var k = sv_termios()
    k.c_iflag = t.iflag & ~ibaud0
    k.c_oflag = t.oflag; k.c_cflag = t.cflag; k.c_lflag = t.lflag
    k.c_line = termios.load(fromByteOffset: 16, as: UInt8.self)
    withUnsafeMutableBytes(of: &k.c_cc) { cc in for i in 0..<kernelNccs { cc[i] = t.cc(i) } }
    return withUnsafeMutablePointer(to: &k) { cIoctl(fd, UInt(requests[Int(action)]), UnsafeMutableRawPointer($0)) } < 0 ? -1 : 0
}

/// cfmakeraw (glibc, BSD): no input or output processing, no echo, no signals, 8-bit characters,
/// reads of one byte at least with no timer.
@_cdecl("cfmakeraw")
public func cfmakeraw(_ termios: UnsafeMutableRawPointer) {
    let t = Termios(p: termios)
    t.iflag &= ~UInt32(SV_IGNBRK | SV_BRKINT | SV_PARMRK | SV_ISTRIP | SV_INLCR | SV_IGNCR | SV_ICRNL | SV_IXON)
    t.oflag &= ~UInt32(SV_OPOST)
    t.lflag &= ~UInt32(SV_ECHO | SV_ECHONL | SV_ICANON | SV_ISIG | SV_IEXTEN)
    t.cflag &= ~UInt32(SV_CSIZE | 0o400 /* PARENB */)
    t.cflag |= UInt32(SV_CS8)
    t.setCC(Int(SV_VMIN), 1)
    t.setCC(Int(SV_VTIME), 0)
}

@_cdecl("cfgetospeed")
public func cfgetospeed(_ termios: UnsafeRawPointer) -> UInt32 { Termios(p: UnsafeMutableRawPointer(mutating: termios)).cflag & cbaud }

@_cdecl("cfgetispeed")
public func cfgetispeed(_ termios: UnsafeRawPointer) -> UInt32 {
    Termios(p: UnsafeMutableRawPointer(mutating: termios)).iflag & ibaud0 != 0 ? 0 : cfgetospeed(termios)
}

/// A speed glibc accepts: one of B0…B38400 (CBAUD's low bits) or B57600…B4000000.
private func validSpeed(_ speed: UInt32) -> Bool { speed & ~cbaud == 0 || (speed >= b57600 && speed <= b4000000) }

@_cdecl("cfsetospeed")
public func cfsetospeed(_ termios: UnsafeMutableRawPointer, _ speed: UInt32) -> Int32 {
    guard validSpeed(speed) else { setErrno(EINVAL); return -1 }
    let t = Termios(p: termios)
    t.ospeed = speed
    t.cflag = (t.cflag & ~cbaud) | speed
    return 0
}

@_cdecl("cfsetispeed")
public func cfsetispeed(_ termios: UnsafeMutableRawPointer, _ speed: UInt32) -> Int32 {
    guard validSpeed(speed) else { setErrno(EINVAL); return -1 }
    let t = Termios(p: termios)
    t.ispeed = speed
    if speed == 0 {
        t.iflag |= ibaud0
    } else {
        t.iflag &= ~ibaud0
        t.cflag = (t.cflag & ~cbaud) | speed
    }
    return 0
}

/// The speeds by number of bits per second, in the order of their B constants (glibc's table).
private let bauds: [(constant: UInt32, bits: UInt32)] = [
    (0, 0), (1, 50), (2, 75), (3, 110), (4, 134), (5, 150), (6, 200), (7, 300), (0o10, 600), (0o11, 1200),
    (0o12, 1800), (0o13, 2400), (0o14, 4800), (0o15, 9600), (0o16, 19200), (0o17, 38400), (0o10001, 57600),
    (0o10002, 115200), (0o10003, 230400), (0o10004, 460800), (0o10005, 500000), (0o10006, 576000),
    (0o10007, 921600), (0o10010, 1000000), (0o10011, 1152000), (0o10012, 1500000), (0o10013, 2000000),
    (0o10014, 2500000), (0o10015, 3000000), (0o10016, 3500000), (0o10017, 4000000),
]

/// cfsetspeed (glibc, BSD): both speeds, given as a B constant or as bits per second; EINVAL otherwise.
@_cdecl("cfsetspeed")
public func cfsetspeed(_ termios: UnsafeMutableRawPointer, _ speed: UInt32) -> Int32 {
    for b in bauds where speed == b.constant || speed == b.bits {
        _ = cfsetispeed(termios, b.constant)
        return cfsetospeed(termios, b.constant)
    }
    setErrno(EINVAL)
    return -1
}

/// 0 if `fd` is a terminal the server answers for; -1 with ENOTTY (or EBADF) otherwise.
private func terminal(_ fd: Int32) -> Int32 {
    var k = sv_termios()
    return getKernel(fd, &k)
}

@_cdecl("tcgetpgrp")
public func tcgetpgrp(_ fd: Int32) -> Int32 {
    var group: Int32 = 0
    return withUnsafeMutablePointer(to: &group) { cIoctl(fd, UInt(SV_TIOCGPGRP), UnsafeMutableRawPointer($0)) } < 0 ? -1 : group
}

@_cdecl("tcsetpgrp")
public func tcsetpgrp(_ fd: Int32, _ group: Int32) -> Int32 {
    guard group >= 0 else { setErrno(EINVAL); return -1 }   // XSH: EINVAL for a value the system does not support (Linux)
    var g = group
    return withUnsafeMutablePointer(to: &g) { cIoctl(fd, UInt(SV_TIOCSPGRP), UnsafeMutableRawPointer($0)) } < 0 ? -1 : 0
}

/// tcdrain: the terminal server has written a write's bytes out before the write returns, so
/// nothing is ever waiting to be sent: 0 for a terminal.
@_cdecl("tcdrain")
public func tcdrain(_ fd: Int32) -> Int32 { terminal(fd) }

/// tcflush: TCIFLUSH (0) and TCIOFLUSH (2) discard input received and not read — TCSETSF with the
/// terminal's own modes, which the server answers by dropping unread input; TCOFLUSH (1) has no
/// queued output to drop (see tcdrain). EINVAL for another queue.
@_cdecl("tcflush")
public func tcflush(_ fd: Int32, _ queue: Int32) -> Int32 {
    var k = sv_termios()
    guard getKernel(fd, &k) == 0 else { return -1 }
    guard queue >= 0 && queue <= 2 else { setErrno(EINVAL); return -1 }
    if queue == 1 { return 0 }
    return withUnsafeMutablePointer(to: &k) { cIoctl(fd, UInt(SV_TCSETSF), UnsafeMutableRawPointer($0)) } < 0 ? -1 : 0
}

/// tcflow: the terminal server has no flow control — it cannot hold output back or send STOP and
/// START — so every action is one the system does not support (EINVAL) on a terminal.
@_cdecl("tcflow")
public func tcflow(_ fd: Int32, _ action: Int32) -> Int32 {
    guard terminal(fd) == 0 else { return -1 }
    setErrno(EINVAL)
    return -1
}

/// tcsendbreak: 0 without a break — XSH lets a terminal that is not an asynchronous serial line to
/// the program (the server's console) return without taking any action.
@_cdecl("tcsendbreak")
public func tcsendbreak(_ fd: Int32, _ duration: Int32) -> Int32 { terminal(fd) }
