// LibCHeaderTests.swift — the guest C library's headers (Guest/Libraries/LibC/include) against the
// host's glibc for what a program built for Linux relies on: every struct layout (size and each
// field's offset) and every constant of termios.h, sys/ioctl.h, fcntl.h's record locks, pthread.h,
// pwd.h, dlfcn.h, utime.h, getopt.h, sys/resource.h, sys/stat.h, errno.h, inttypes.h's format macros and
// sysconf's names. One probe
// program prints them all; it is built twice for the host — once with glibc's headers (cc), once
// with only ours (clang -nostdlibinc, as swiftvm-cc compiles) — and the two outputs must be equal.
import Foundation
import Testing

private let structs: [(String, [String])] = [
    ("struct termios", ["c_iflag", "c_oflag", "c_cflag", "c_lflag", "c_line", "c_cc", "c_ispeed", "c_ospeed"]),
    ("struct winsize", ["ws_row", "ws_col", "ws_xpixel", "ws_ypixel"]),
    ("struct flock", ["l_type", "l_whence", "l_start", "l_len", "l_pid"]),
    ("struct passwd", ["pw_name", "pw_passwd", "pw_uid", "pw_gid", "pw_gecos", "pw_dir", "pw_shell"]),
    ("struct rusage", ["ru_utime", "ru_stime", "ru_maxrss", "ru_ixrss", "ru_minflt", "ru_nivcsw"]),
    ("struct utimbuf", ["actime", "modtime"]),
    ("struct timeval", ["tv_sec", "tv_usec"]),
    ("struct option", ["name", "has_arg", "flag", "val"]),
]
private let types = ["pthread_mutex_t", "pthread_mutexattr_t", "pthread_attr_t", "pthread_t", "pthread_once_t",
                     "speed_t", "tcflag_t", "cc_t", "struct termios", "struct winsize"]
private let constants = """
    NCCS VINTR VQUIT VERASE VKILL VEOF VTIME VMIN VSWTC VSTART VSTOP VSUSP VEOL VREPRINT VDISCARD VWERASE VLNEXT VEOL2
    IGNBRK BRKINT IGNPAR PARMRK INPCK ISTRIP INLCR IGNCR ICRNL IUCLC IXON IXANY IXOFF IMAXBEL IUTF8
    OPOST OLCUC ONLCR OCRNL ONOCR ONLRET OFILL OFDEL NLDLY NL0 NL1 CRDLY CR0 CR1 CR2 CR3 TABDLY TAB0 TAB1 TAB2 TAB3
    XTABS BSDLY BS0 BS1 VTDLY VT0 VT1 FFDLY FF0 FF1
    CBAUD CBAUDEX CSIZE CS5 CS6 CS7 CS8 CSTOPB CREAD PARENB PARODD HUPCL CLOCAL CIBAUD CMSPAR CRTSCTS
    ISIG ICANON XCASE ECHO ECHOE ECHOK ECHONL NOFLSH TOSTOP ECHOCTL ECHOPRT ECHOKE FLUSHO PENDIN IEXTEN EXTPROC
    B0 B50 B75 B110 B134 B150 B200 B300 B600 B1200 B1800 B2400 B4800 B9600 B19200 B38400 B57600 B115200 B230400
    B460800 B500000 B576000 B921600 B1000000 B1152000 B1500000 B2000000 B2500000 B3000000 B3500000 B4000000
    TCSANOW TCSADRAIN TCSAFLUSH TCIFLUSH TCOFLUSH TCIOFLUSH TCOOFF TCOON TCIOFF TCION _POSIX_VDISABLE
    TCGETS TCSETS TCSETSW TCSETSF TCSBRK TCXONC TCFLSH TIOCSCTTY TIOCGPGRP TIOCSPGRP TIOCOUTQ TIOCGWINSZ TIOCSWINSZ
    FIONREAD TIOCINQ TIOCNOTTY
    F_GETLK F_SETLK F_SETLKW F_RDLCK F_WRLCK F_UNLCK
    ENXIO EXDEV ENOTBLK ETXTBSY ENFILE EDEADLK ENOLCK ELOOP ENOTSUP EOPNOTSUPP ETIMEDOUT ESTALE ECANCELED EWOULDBLOCK
    S_IFMT S_IFDIR S_IFREG S_IFLNK S_IFCHR S_IFBLK S_IFIFO S_IFSOCK S_ISUID S_ISGID S_ISVTX S_IRWXU S_IRUSR S_IWUSR
    S_IXUSR S_IRWXG S_IRGRP S_IWGRP S_IXGRP S_IRWXO S_IROTH S_IWOTH S_IXOTH
    _SC_ARG_MAX _SC_CHILD_MAX _SC_CLK_TCK _SC_OPEN_MAX _SC_PAGESIZE _SC_PAGE_SIZE _SC_NPROCESSORS_CONF
    _SC_NPROCESSORS_ONLN _SC_PHYS_PAGES _SC_AVPHYS_PAGES
    RTLD_LAZY RTLD_NOW RTLD_GLOBAL RTLD_LOCAL
    PTHREAD_MUTEX_NORMAL PTHREAD_MUTEX_RECURSIVE PTHREAD_MUTEX_ERRORCHECK PTHREAD_MUTEX_DEFAULT PTHREAD_ONCE_INIT
    PTHREAD_CREATE_JOINABLE PTHREAD_CREATE_DETACHED RUSAGE_SELF RUSAGE_CHILDREN
    no_argument required_argument optional_argument
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
/// inttypes.h's format macros: every conversion for every width.
private let formatMacros: [String] = {
    let widths = ["8", "16", "32", "64", "LEAST8", "LEAST16", "LEAST32", "LEAST64", "FAST8", "FAST16", "FAST32", "FAST64", "MAX", "PTR"]
    return "diouxX".flatMap { c in widths.map { "PRI\(c)\($0)" } } + "diouxX".filter { $0 != "X" }.flatMap { c in widths.map { "SCN\(c)\($0)" } }
}()
/// The file-type tests, each applied to every type (so a wrong mask shows).
private let typeMacros = ["S_ISDIR", "S_ISREG", "S_ISLNK", "S_ISCHR", "S_ISBLK", "S_ISFIFO", "S_ISSOCK"]
private let typeBits = ["S_IFDIR", "S_IFREG", "S_IFLNK", "S_IFCHR", "S_IFBLK", "S_IFIFO", "S_IFSOCK"]

private func probeSource() -> String {
    var lines = ["#define _GNU_SOURCE", "#include <dlfcn.h>", "#include <errno.h>", "#include <fcntl.h>", "#include <getopt.h>",
                 "#include <inttypes.h>", "#include <pthread.h>", "#include <pwd.h>", "#include <stddef.h>", "#include <stdio.h>",
                 "#include <sys/ioctl.h>", "#include <sys/resource.h>", "#include <sys/stat.h>", "#include <sys/time.h>",
                 "#include <termios.h>", "#include <unistd.h>", "#include <utime.h>",
                 "static pthread_mutex_t initialized = PTHREAD_MUTEX_INITIALIZER;",
                 "int main(void) {",
                 "  const unsigned char *m = (const unsigned char *)&initialized; unsigned sum = 0;",
                 "  for (size_t i = 0; i < sizeof initialized; i++) sum += m[i];",
                 "  printf(\"PTHREAD_MUTEX_INITIALIZER bytes sum %u\\n\", sum);"]
    for t in types { lines.append("  printf(\"sizeof(\(t)) %zu\\n\", sizeof(\(t)));") }
    for (s, fields) in structs {
        lines.append("  printf(\"sizeof(\(s)) %zu\\n\", sizeof(\(s)));")
        for f in fields { lines.append("  printf(\"offsetof(\(s), \(f)) %zu size %zu\\n\", offsetof(\(s), \(f)), sizeof(((\(s) *)0)->\(f)));") }
    }
    for c in constants { lines.append("  printf(\"\(c) %lld\\n\", (long long)(\(c)));") }
    for m in formatMacros { lines.append("  printf(\"\(m) %s\\n\", \(m));") }
    for m in typeMacros { for b in typeBits { lines.append("  printf(\"\(m)(\(b)) %d\\n\", \(m)(\(b)) ? 1 : 0);") } }
    lines += ["  return 0;", "}"]
    return lines.joined(separator: "\n") + "\n"
}

private func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

@Test func libcHeadersMatchGlibcLayoutsAndValues() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    let include = root.appendingPathComponent("Guest/Libraries/LibC/include").path
    let clang = ProcessInfo.processInfo.environment["SWIFTVM_TOOLCHAIN"].map { $0 + "/clang" } ?? "/opt/swift/usr/bin/clang"
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("libc-headers-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = dir.appendingPathComponent("probe.c").path
    try probeSource().write(toFile: source, atomically: true, encoding: .utf8)
    let glibc = try run("/usr/bin/cc", ["-o", dir.appendingPathComponent("glibc").path, source])
    try #require(glibc.status == 0, "cc: \(glibc.output)")
    // Ours: no system header directory at all, as swiftvm-cc compiles (clang's own stddef/stdint
    // stay); linked with the host's C library only to print.
    let ours = try run(clang, ["-nostdlibinc", "-isystem", include, "-Werror=implicit-function-declaration",
                               "-o", dir.appendingPathComponent("ours").path, source])
    try #require(ours.status == 0, "clang with the guest headers: \(ours.output)")
    let want = try run(dir.appendingPathComponent("glibc").path, [])
    let got = try run(dir.appendingPathComponent("ours").path, [])
    #expect(want.status == 0 && got.status == 0)
    let wantLines = want.output.split(separator: "\n"), gotLines = got.output.split(separator: "\n")
    #expect(wantLines.count == gotLines.count && wantLines.count > 300, "\(wantLines.count) lines from glibc, \(gotLines.count) from ours")
    let differences = zip(wantLines, gotLines).filter { $0 != $1 }.map { "glibc: \($0)\n ours: \($1)" }
    #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.joined(separator: "\n"))")
}
