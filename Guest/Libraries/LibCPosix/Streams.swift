// Streams.swift — C's streams (C11 7.21): a FILE buffers over a file descriptor (Files.swift).
// stdout hands its bytes to the Swift runtime's standard output (UserLib), so C and Swift output
// interleave in order and both follow `command > file`; that buffer is flushed at exit, before
// reading standard input, before fork, exec, popen and system. stderr is unbuffered. Other
// streams buffer BUFSIZ bytes.
//
// FILE is private (stdio.h declares it incomplete): a FILE * points at a Stream. The standard
// three live in LibC/exports.c's zeroed storage (C programs read the variables stdin, stdout and
// stderr directly, and a Swift global cannot have a C name); a zeroed Stream is not `ready`, and
// each is set up on first use from its place in that storage.
// SAFETY (the whole file): a FILE * from the caller is one fopen, fdopen, tmpfile or popen
// returned and fclose has not freed, or one of the standard three (C11 7.21.3: otherwise
// undefined). Buffers the caller passes hold the counts it gives with them.

@_extern(c, "sv_standard_streams") func standardStreamStorage() -> UnsafeMutableRawPointer
@_extern(c, "sv_format")
func formatEngine(_ format: UnsafePointer<CChar>, _ list: UnsafeMutableRawPointer,
                  _ write: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, Int) -> Void,
                  _ context: UnsafeMutableRawPointer?) -> Int

private let EOF: Int32 = -1
private let bufferSize = 4096          // BUFSIZ (stdio.h)
private let standardStreamStride = 128 // bytes per stream in exports.c's storage
private let EBADF: Int32 = 9, ENOMEM: Int32 = 12, EOVERFLOW: Int32 = 75
private let O_EXCL: Int32 = 0o200, O_CLOEXEC: Int32 = 0o2000000

struct Stream {
    /// false only for a standard stream not set up yet (zeroed storage).
    var ready = true
    var readable = false, writable = false
    var endOfFile = false, failed = false
    /// The buffer holds bytes read ahead (true) or bytes not yet written (false).
    var reading = false
    /// stdout: its bytes go to UserLib's standard output, which buffers them.
    var standardOutput = false
    /// Each write goes out at once (stderr; setvbuf's _IONBF).
    var unbuffered = false
    /// A write that holds a newline goes out at once, with what was buffered (setvbuf's _IOLBF).
    var lineBuffered = false
    var fd: Int32
    /// A byte ungetc pushed back, or EOF.
    var pushedBack: Int32 = -1
    /// BUFSIZ bytes, allocated on first use.
    var buffer: UnsafeMutablePointer<UInt8>? = nil
    /// Writing: bytes buffered. Reading: bytes in the buffer, and the next one to return.
    var length = 0, position = 0
}

/// The streams fopen/fdopen made and fclose has not closed, for fflush(NULL).
nonisolated(unsafe) private var openStreams: [UnsafeMutablePointer<Stream>] = []

/// The standard stream `index` (0 stdin, 1 stdout, 2 stderr), set up if it is not yet.
private func standardStream(_ index: Int) -> UnsafeMutablePointer<Stream> {
    let s = (standardStreamStorage() + index * standardStreamStride).assumingMemoryBound(to: Stream.self)
    if !s.pointee.ready {
        precondition(MemoryLayout<Stream>.size <= standardStreamStride, "exports.c's stream storage is too small")
        var stream = Stream(fd: Int32(index))
        stream.readable = index == 0
        stream.writable = index != 0
        stream.standardOutput = index == 1
        stream.unbuffered = index == 2
        s.initialize(to: stream)
    }
    return s
}

/// The Stream behind a FILE *.
@inline(__always) private func stream(_ file: OpaquePointer) -> UnsafeMutablePointer<Stream> {
    let s = UnsafeMutablePointer<Stream>(file)
    if !s.pointee.ready {
        let offset = UnsafeMutableRawPointer(s) - standardStreamStorage()
        return standardStream(offset / standardStreamStride)
    }
    return s
}

private func file(_ s: UnsafeMutablePointer<Stream>) -> OpaquePointer { OpaquePointer(s) }

private func bufferOf(_ s: UnsafeMutablePointer<Stream>) -> UnsafeMutablePointer<UInt8> {
    if let b = s.pointee.buffer { return b }
    let b = UnsafeMutablePointer<UInt8>.allocate(capacity: bufferSize)
    s.pointee.buffer = b
    return b
}

// ---- opening and closing ----

/// fopen's mode (C11 7.21.5.3): "r", "w" or "a", then any of "+", "b", "e", "x" — open's flags
/// and the stream's directions, or nil for another first letter.
private func modeFlags(_ mode: UnsafePointer<CChar>) -> (flags: Int32, readable: Bool, writable: Bool)? {
    let plus = strchr(mode, 0x2B /* + */) != nil
    switch UInt8(bitPattern: mode[0]) {
    case UInt8(ascii: "r"): return (plus ? O_RDWR : O_RDONLY, true, plus)
    case UInt8(ascii: "w"): return ((plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC, plus, true)
    case UInt8(ascii: "a"): return ((plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND, plus, true)
    default: return nil
    }
}

private func makeStream(_ fd: Int32, readable: Bool, writable: Bool) -> OpaquePointer {
    let s = UnsafeMutablePointer<Stream>.allocate(capacity: 1)
    var stream = Stream(fd: fd)
    stream.readable = readable
    stream.writable = writable
    s.initialize(to: stream)
    openStreams.append(s)
    return file(s)
}

@_cdecl("fopen")
public func fopen(_ path: UnsafePointer<CChar>, _ mode: UnsafePointer<CChar>) -> OpaquePointer? {
    guard let m = modeFlags(mode) else { setErrno(EINVAL); return nil }
    // C11's "x" (with "w" or "a"): fail if the file exists; glibc's "e": close-on-exec.
    let exclusive = m.flags & O_CREAT != 0 && strchr(mode, 0x78 /* x */) != nil ? O_EXCL : 0
    let closeOnExec = strchr(mode, 0x65 /* e */) != nil ? O_CLOEXEC : 0
    let fd = cOpen(path, m.flags | exclusive | closeOnExec, 0o666)   // POSIX fopen: a new file is 0666, less the umask
    if fd < 0 { return nil }
    return makeStream(fd, readable: m.readable, writable: m.writable)
}

@_cdecl("fdopen")
public func cFdopen(_ fd: Int32, _ mode: UnsafePointer<CChar>) -> OpaquePointer? {
    guard let m = modeFlags(mode) else { setErrno(EINVAL); return nil }
    return makeStream(fd, readable: m.readable, writable: m.writable)
}

/// Writes out the bytes buffered for writing: 0, or EOF (the stream's error set; they are dropped).
private func flushWrites(_ s: UnsafeMutablePointer<Stream>) -> Int32 {
    if s.pointee.reading || s.pointee.length == 0 { return 0 }
    let buffer = bufferOf(s), length = s.pointee.length
    s.pointee.length = 0
    var done = 0
    while done < length {
        let n = cWrite(s.pointee.fd, buffer + done, length - done)
        if n <= 0 { s.pointee.failed = true; return EOF }
        done += n
    }
    return 0
}

/// fflush (C11 7.21.5.2); NULL: every output stream. A stream being read gives back what was read
/// ahead (POSIX), so that the descriptor's offset is where the program is.
@_cdecl("fflush")
public func cFflush(_ handle: OpaquePointer?) -> Int32 {
    guard let handle else {
        var result = cFflush(file(standardStream(1))) | cFflush(file(standardStream(2)))
        for s in openStreams { result |= cFflush(file(s)) }
        return result
    }
    let s = stream(handle)
    if s.pointee.reading {
        let ahead = s.pointee.length - s.pointee.position
        if s.pointee.fd > 2 && ahead > 0 { _ = cLseek(s.pointee.fd, Int64(0 - ahead), 1) }
        s.pointee.reading = false
        s.pointee.length = 0
        s.pointee.position = 0
        return 0
    }
    let r = flushWrites(s)
    if s.pointee.standardOutput { standardOutputFlush() }
    return r
}

/// fclose (C11 7.21.5.1): flushed, then closed and freed — except a stream on descriptors 0–2,
/// which stays open (the standard streams live on).
@_cdecl("fclose")
public func cFclose(_ handle: OpaquePointer) -> Int32 {
    let s = stream(handle)
    var r = cFflush(handle)
    if s.pointee.fd > 2 {
        if cClose(s.pointee.fd) < 0 { r = EOF }
        if let i = openStreams.firstIndex(of: s) { openStreams.remove(at: i) }
        s.pointee.buffer?.deallocate()
        s.deinitialize(count: 1)
        s.deallocate()
    }
    return r
}

/// freopen's helper (Processes.swift), after the stream was flushed and its descriptor re-aimed:
/// the directions of the new `mode`, nothing buffered or pushed back, no indicators set.
func resetStream(_ handle: OpaquePointer, mode: UnsafePointer<CChar>) {
    let s = stream(handle)
    if let m = modeFlags(mode) {
        s.pointee.readable = m.readable
        s.pointee.writable = m.writable
    }
    s.pointee.reading = false
    s.pointee.length = 0
    s.pointee.position = 0
    s.pointee.pushedBack = EOF
    s.pointee.endOfFile = false
    s.pointee.failed = false
}

// ---- writing ----

/// Writes `count` bytes to the stream: count, or fewer when an error stopped it (error set).
private func writeBytes(_ s: UnsafeMutablePointer<Stream>, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int {
    let flushNow = s.pointee.unbuffered || (s.pointee.lineBuffered && memchr(bytes, 0x0A, count) != nil)
    if s.pointee.standardOutput {   // one buffer for C and Swift output, in order
        standardOutputWrite(bytes, count)
        if flushNow { standardOutputFlush() }
        return count
    }
    if !s.pointee.writable { s.pointee.failed = true; setErrno(EBADF); return 0 }
    if s.pointee.reading { _ = cFflush(file(s)) }
    let buffer = bufferOf(s)
    var done = 0
    // What fills the buffer at least once goes out in one write from the caller's bytes, after
    // what is buffered (the bytes are the same; fewer round trips to the file server).
    if count >= bufferSize {
        if flushWrites(s) != 0 { return 0 }
        while done < count {
            let n = cWrite(s.pointee.fd, bytes + done, count - done)
            if n <= 0 { s.pointee.failed = true; return done }
            done += n
        }
        return count
    }
    while done < count {
        let n = Swift.min(count - done, bufferSize - s.pointee.length)
        (buffer + s.pointee.length).update(from: bytes + done, count: n)
        s.pointee.length += n
        done += n
        if s.pointee.length == bufferSize && flushWrites(s) != 0 { return done - n }
    }
    if flushNow && flushWrites(s) != 0 { return 0 }
    return count
}

/// setvbuf (C11 7.21.5.6): the stream's buffering becomes full (_IOFBF 0), line (_IOLBF 1) or none
/// (_IONBF 2); 0, or nonzero for another mode. The library keeps its own buffer (C11 lets it: the
/// caller's array "may be used"), so `buffer` and `size` only choose the mode.
@_cdecl("setvbuf")
public func setvbuf(_ handle: OpaquePointer, _ buffer: UnsafeMutablePointer<CChar>?, _ mode: Int32, _ size: Int) -> Int32 {
    guard mode >= 0 && mode <= 2 else { setErrno(EINVAL); return -1 }
    let s = stream(handle)
    s.pointee.unbuffered = mode == 2
    s.pointee.lineBuffered = mode == 1
    return 0
}

@_cdecl("fputc")
public func cFputc(_ c: Int32, _ handle: OpaquePointer) -> Int32 {
    var b = UInt8(truncatingIfNeeded: c)
    return writeBytes(stream(handle), &b, 1) == 1 ? Int32(b) : EOF
}

@_cdecl("putc")
public func cPutc(_ c: Int32, _ handle: OpaquePointer) -> Int32 { cFputc(c, handle) }

/// fwrite (C11 7.21.8.2): the whole elements written; EINVAL when size × count overflows.
@_cdecl("fwrite")
public func fwrite(_ bytes: UnsafeRawPointer, _ size: Int, _ count: Int, _ handle: OpaquePointer) -> Int {
    let (total, overflow) = size.multipliedReportingOverflow(by: count)
    if overflow { setErrno(EINVAL); return 0 }
    if total == 0 { return 0 }
    let n = writeBytes(stream(handle), bytes.assumingMemoryBound(to: UInt8.self), total)
    return n == total ? count : n / size
}

@_cdecl("fputs")
public func fputs(_ text: UnsafePointer<CChar>, _ handle: OpaquePointer) -> Int32 {
    let bytes = cStringBytes(text)
    if bytes.isEmpty { return 0 }
    return writeBytes(stream(handle), bytes.baseAddress!, bytes.count) == bytes.count ? 0 : EOF
}

@_cdecl("puts")
public func puts(_ text: UnsafePointer<CChar>) -> Int32 {
    let out = file(standardStream(1))
    return fputs(text, out) == EOF || cFputc(0x0A, out) == EOF ? EOF : 0
}

@_cdecl("perror")
public func perror(_ prefix: UnsafePointer<CChar>?) {
    var line: [UInt8] = []
    if let prefix, prefix.pointee != 0 { line += cStringBytes(prefix); line += [0x3A, 0x20] }
    line += cStringBytes(strerror(errnoLocation().pointee))
    line.append(0x0A)
    writeToStandardError(line)
}

/// Writes a diagnostic to stderr as fputs would (perror, getopt).
func writeToStandardError(_ line: [UInt8]) {
    _ = line.withUnsafeBufferPointer { writeBytes(standardStream(2), $0.baseAddress!, $0.count) }
}

// ---- reading ----

/// Fills the read buffer: true, or false at the end of input (end-of-file set) or on an error
/// (error set).
private func refill(_ s: UnsafeMutablePointer<Stream>) -> Bool {
    if !s.pointee.reading {
        if flushWrites(s) != 0 { return false }
        s.pointee.reading = true
        s.pointee.length = 0
        s.pointee.position = 0
    }
    let isStandardInput = s == standardStream(0)
    if isStandardInput { _ = cFflush(file(standardStream(1))) }
    // The console a byte at a time (a line arrives as the user types it); files a buffer at a time.
    let n = cRead(s.pointee.fd, bufferOf(s), isStandardInput && cIsatty(0) != 0 ? 1 : bufferSize)
    if n < 0 { s.pointee.failed = true; return false }
    if n == 0 { s.pointee.endOfFile = true; return false }
    s.pointee.length = n
    s.pointee.position = 0
    return true
}

/// Whether the stream may be read; sets its error (EBADF) if not.
private func mayRead(_ s: UnsafeMutablePointer<Stream>) -> Bool {
    if s.pointee.readable { return true }
    s.pointee.failed = true
    setErrno(EBADF)
    return false
}

@_cdecl("fgetc")
public func cFgetc(_ handle: OpaquePointer) -> Int32 {
    let s = stream(handle)
    if s.pointee.pushedBack != EOF {
        let c = s.pointee.pushedBack
        s.pointee.pushedBack = EOF
        return c
    }
    if !mayRead(s) { return EOF }
    if !s.pointee.reading || s.pointee.position == s.pointee.length {
        if !refill(s) { return EOF }
    }
    let c = Int32(bufferOf(s)[s.pointee.position])
    s.pointee.position += 1
    return c
}

@_cdecl("getc")
public func getc(_ handle: OpaquePointer) -> Int32 { cFgetc(handle) }
@_cdecl("getchar")
public func getchar() -> Int32 { cFgetc(file(standardStream(0))) }

/// ungetc (C11 7.21.7.10): one byte of push-back; EOF for EOF or a second one.
@_cdecl("ungetc")
public func cUngetc(_ c: Int32, _ handle: OpaquePointer) -> Int32 {
    let s = stream(handle)
    if c == EOF || s.pointee.pushedBack != EOF { return EOF }
    s.pointee.pushedBack = Int32(UInt8(truncatingIfNeeded: c))
    s.pointee.endOfFile = false
    return s.pointee.pushedBack
}

/// fread (C11 7.21.8.1): the whole elements read; EINVAL when size × count overflows.
@_cdecl("fread")
public func fread(_ into: UnsafeMutableRawPointer, _ size: Int, _ count: Int, _ handle: OpaquePointer) -> Int {
    let (total, overflow) = size.multipliedReportingOverflow(by: count)
    if overflow { setErrno(EINVAL); return 0 }
    if total == 0 { return 0 }
    let s = stream(handle), out = into.assumingMemoryBound(to: UInt8.self)
    var done = 0
    if s.pointee.pushedBack != EOF {
        out[0] = UInt8(truncatingIfNeeded: s.pointee.pushedBack)
        s.pointee.pushedBack = EOF
        done = 1
    }
    if done < total && !mayRead(s) { return done / size }
    while done < total {
        if !s.pointee.reading || s.pointee.position == s.pointee.length {
            // A request of a buffer or more, with nothing read ahead, is read straight into the
            // caller's memory (one round trip instead of one per BUFSIZ) — except from the console,
            // which is read a byte at a time (refill). Reading fd 0 shows stdout first (cRead).
            if total - done >= bufferSize && !(s == standardStream(0) && cIsatty(0) != 0) {
                if !s.pointee.reading && flushWrites(s) != 0 { break }
                s.pointee.reading = true
                s.pointee.length = 0
                s.pointee.position = 0
                let n = cRead(s.pointee.fd, out + done, total - done)
                if n < 0 { s.pointee.failed = true; break }
                if n == 0 { s.pointee.endOfFile = true; break }
                done += n
                continue
            }
            if !refill(s) { break }
        }
        let n = Swift.min(total - done, s.pointee.length - s.pointee.position)
        (out + done).update(from: bufferOf(s) + s.pointee.position, count: n)
        s.pointee.position += n
        done += n
    }
    return done / size
}

/// fgets (C11 7.21.7.2): up to size-1 bytes, through the first newline; NULL if nothing was read.
@_cdecl("fgets")
public func fgets(_ line: UnsafeMutablePointer<CChar>, _ size: Int32, _ handle: OpaquePointer) -> UnsafeMutablePointer<CChar>? {
    if size <= 0 { return nil }
    var i = 0
    while i < Int(size) - 1 {
        let c = cFgetc(handle)
        if c == EOF { break }
        line[i] = CChar(truncatingIfNeeded: c)
        i += 1
        if c == 0x0A { break }
    }
    if i == 0 { return nil }
    line[i] = 0
    return line
}

/// getline (POSIX): a whole line into *line (grown with realloc as needed); its length, or -1 at
/// the end of input or with ENOMEM.
@_cdecl("getline")
public func getline(_ line: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, _ capacity: UnsafeMutablePointer<Int>,
                    _ handle: OpaquePointer) -> Int {
    var n = 0
    while true {
        let c = cFgetc(handle)
        if c == EOF && n == 0 { return -1 }
        if n + 2 > capacity.pointee || line.pointee == nil {
            let grown = capacity.pointee > 0 ? capacity.pointee * 2 : 128
            guard let bigger = realloc(line.pointee, grown) else { setErrno(ENOMEM); return -1 }
            line.pointee = bigger.assumingMemoryBound(to: CChar.self)
            capacity.pointee = grown
        }
        if c == EOF { break }
        line.pointee![n] = CChar(truncatingIfNeeded: c)
        n += 1
        if c == 0x0A { break }
    }
    line.pointee![n] = 0
    return n
}

// ---- position and state ----

@_cdecl("fseek")
public func cFseek(_ handle: OpaquePointer, _ offset: Int, _ whence: Int32) -> Int32 {
    let s = stream(handle)
    if cFflush(handle) != 0 { return -1 }
    s.pointee.pushedBack = EOF
    s.pointee.endOfFile = false
    return cLseek(s.pointee.fd, Int64(offset), whence) < 0 ? -1 : 0
}

/// ftell: the descriptor's offset, less what was read ahead (and a pushed-back byte), plus what
/// is buffered for writing.
@_cdecl("ftell")
public func cFtell(_ handle: OpaquePointer) -> Int {
    let s = stream(handle)
    var at = cLseek(s.pointee.fd, 0, 1)
    if at < 0 { return -1 }
    if s.pointee.reading {
        at -= Int64(s.pointee.length - s.pointee.position) + (s.pointee.pushedBack != EOF ? 1 : 0)
    } else {
        at += Int64(s.pointee.length)
    }
    return Int(at)
}

@_cdecl("rewind")
public func rewind(_ handle: OpaquePointer) {
    _ = cFseek(handle, 0, 0)
    stream(handle).pointee.failed = false
}
@_cdecl("feof")
public func feof(_ handle: OpaquePointer) -> Int32 { stream(handle).pointee.endOfFile ? 1 : 0 }
@_cdecl("ferror")
public func ferror(_ handle: OpaquePointer) -> Int32 { stream(handle).pointee.failed ? 1 : 0 }
@_cdecl("clearerr")
public func cClearerr(_ handle: OpaquePointer) {
    let s = stream(handle)
    s.pointee.endOfFile = false
    s.pointee.failed = false
}
@_cdecl("fileno")
public func cFileno(_ handle: OpaquePointer) -> Int32 { stream(handle).pointee.fd }

// ---- formatting: C11 7.21.6.1, by the Swift engine (LibCNumbers/CFormatting.swift over the
// Numbers module): every conversion, flag, width and precision as glibc prints them, floating
// point correctly rounded. %n is refused (-1, EINVAL): a format that writes memory is a classic
// exploit, and no program we build needs it.
// The va_list parameters: on x86-64 a va_list argument is a pointer to the caller's
// __va_list_tag, which the engine reads with va_arg (LibC/varargs.c). C11 7.21.6.8 leaves the
// caller's va_list indeterminate afterwards, so it is read in place.

/// Where formatted bytes go: a stream, or a string of `capacity` bytes (which counts every byte
/// and keeps those that fit before the NUL).
private struct FormatSink {
    var stream: UnsafeMutablePointer<Stream>?
    var string: UnsafeMutablePointer<UInt8>?
    var capacity = 0, count = 0
}

private let sinkWrite: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, Int) -> Void = { context, bytes, n in
    let sink = context!.assumingMemoryBound(to: FormatSink.self)
    guard let bytes, n > 0 else { return }
    if let s = sink.pointee.stream {
        _ = writeBytes(s, bytes, n)
    } else if let string = sink.pointee.string {
        let room = Swift.max(0, Swift.min(n, sink.pointee.capacity - 1 - sink.pointee.count))
        if room > 0 { (string + sink.pointee.count).update(from: bytes, count: room) }
    }
    sink.pointee.count += n
}

/// The engine's result as C returns it: the count, or -1 with errno.
private func format(_ sink: inout FormatSink, _ format: UnsafePointer<CChar>, _ arguments: UnsafeMutableRawPointer) -> Int32 {
    let r = withUnsafeMutablePointer(to: &sink) { formatEngine(format, arguments, sinkWrite, UnsafeMutableRawPointer($0)) }
    if r < 0 {
        setErrno(r == -3 ? EILSEQ : r == -4 ? EOVERFLOW : EINVAL)
        return -1
    }
    return Int32(truncatingIfNeeded: r)
}

@_cdecl("vsnprintf")
public func vsnprintf(_ buffer: UnsafeMutablePointer<UInt8>?, _ n: Int, _ f: UnsafePointer<CChar>, _ arguments: UnsafeMutableRawPointer) -> Int32 {
    var sink = FormatSink(string: n > 0 ? buffer : nil, capacity: n)
    let r = format(&sink, f, arguments)
    if n > 0, let buffer { buffer[Swift.min(sink.count, n - 1)] = 0 }
    return r
}

@_cdecl("vsprintf")
public func vsprintf(_ buffer: UnsafeMutablePointer<UInt8>, _ f: UnsafePointer<CChar>, _ arguments: UnsafeMutableRawPointer) -> Int32 {
    vsnprintf(buffer, Int.max, f, arguments)
}

@_cdecl("vfprintf")
public func vfprintf(_ handle: OpaquePointer, _ f: UnsafePointer<CChar>, _ arguments: UnsafeMutableRawPointer) -> Int32 {
    var sink = FormatSink(stream: stream(handle))
    let r = format(&sink, f, arguments)
    return stream(handle).pointee.failed ? -1 : r
}

@_cdecl("vprintf")
public func vprintf(_ f: UnsafePointer<CChar>, _ arguments: UnsafeMutableRawPointer) -> Int32 {
    vfprintf(file(standardStream(1)), f, arguments)
}

// ---- scanning: C11 7.21.6.2, by the engine in Scanning.swift over a byte source: a string (the
// context is a pointer to the next byte) or a stream.

private let stringGet: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { context in
    let cursor = context!.assumingMemoryBound(to: UnsafePointer<UInt8>.self)
    let c = cursor.pointee.pointee
    if c == 0 { return -1 }
    cursor.pointee += 1
    return Int32(c)
}
private let stringUnget: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, context in
    context!.assumingMemoryBound(to: UnsafePointer<UInt8>.self).pointee -= 1
}
private let streamGet: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { context in cFgetc(OpaquePointer(context!)) }
private let streamUnget: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { c, context in
    _ = cUngetc(c, OpaquePointer(context!))
}

@_cdecl("vsscanf")
public func vsscanf(_ text: UnsafePointer<CChar>, _ f: UnsafePointer<CChar>, _ arguments: UnsafeMutableRawPointer) -> Int32 {
    var cursor = UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self)
    return withUnsafeMutablePointer(to: &cursor) { svScan(f, arguments, stringGet, stringUnget, UnsafeMutableRawPointer($0)) }
}

@_cdecl("vfscanf")
public func vfscanf(_ handle: OpaquePointer, _ f: UnsafePointer<CChar>, _ arguments: UnsafeMutableRawPointer) -> Int32 {
    svScan(f, arguments, streamGet, streamUnget, UnsafeMutableRawPointer(handle))
}

@_cdecl("vscanf")
public func vscanf(_ f: UnsafePointer<CChar>, _ arguments: UnsafeMutableRawPointer) -> Int32 {
    vfscanf(file(standardStream(0)), f, arguments)
}
