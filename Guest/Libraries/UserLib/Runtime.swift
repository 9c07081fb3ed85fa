// Runtime.swift — what the Embedded Swift runtime needs in a user program: posix_memalign/free on
// a heap arena, putchar on buffered stdout, arc4random_buf for hash seeding.
// SAFETY: the heap hands out raw memory by definition (RuntimeSupport's HeapAllocator keeps its
// bookkeeping); the stdout buffer is UserRuntime's static buffer, `length` bytes of it in use. The
// `nonisolated(unsafe)` statics are this process's runtime state: a user process is one thread and
// has no interrupts, so nothing runs concurrently with them.
import RuntimeSupport
import ABI
import UserRuntime

/// The process heap: a small static arena, then regions from map_memory as it grows. At most
/// `maximumRegions` regions; a free goes to the region that holds the pointer. A new region is at
/// least a quarter of what the heap has mapped so far (and 1 MiB): with regions of a fixed 1 MiB,
/// a program whose heap passed 64 MiB could allocate nothing more (SQLite's fuzzcheck did, its
/// memory fragmented over the regions); growing by a quarter, 64 regions reach far beyond any
/// guest's memory while leaving at most a quarter of the heap mapped and unused.
enum UserHeap {
    static let maximumRegions = 64
    static let growth = 1 << 20
    nonisolated(unsafe) static var regions: UnsafeMutablePointer<HeapAllocator>? = nil
    nonisolated(unsafe) static var regionCount = 0
    nonisolated(unsafe) static var mappedBytes = 0
    nonisolated(unsafe) static var bootstrap: HeapAllocator? = nil

    static func allocate(size: Int, alignment: Int) -> UnsafeMutableRawPointer? {
        if bootstrap == nil { bootstrap = HeapAllocator(start: sv_user_heap_arena(), size: Int(sv_user_heap_arena_size())) }
        // Every region as it is; then more memory; only when that fails, regions reclaiming their
        // size-class lists (which leaves small holes in their main lists: slower from then on).
        if let p = fromRegions(size: size, alignment: alignment, reclaim: false) { return p }
        if let p = grow(size: size, alignment: alignment) { return p }
        return fromRegions(size: size, alignment: alignment, reclaim: true)
    }

    static func fromRegions(size: Int, alignment: Int, reclaim: Bool) -> UnsafeMutableRawPointer? {
        if let p = bootstrap!.allocate(size: size, alignment: alignment, reclaim: reclaim) { return p }
        for i in 0..<regionCount {
            if let p = regions![i].allocate(size: size, alignment: alignment, reclaim: reclaim) { return p }
        }
        return nil
    }

    /// A new region big enough for this request (and its alignment) plus room for more.
    static func grow(size: Int, alignment: Int) -> UnsafeMutableRawPointer? {
        guard regionCount < maximumRegions else { return nil }
        // The first region also holds the region table.
        let tableBytes = (MemoryLayout<HeapAllocator>.stride * maximumRegions + 15) & ~15
        let overhead = 4096 + (regions == nil ? tableBytes : 0)
        let needed = max(growth, (size + alignment + overhead + 4095) & ~4095)
        var bytes = max(needed, (mappedBytes / 4 + 4095) & ~4095)
        var address = sv_syscall1(Int64(SV_SYS_MAP_MEMORY), UInt64(bytes))
        if address <= 0 && bytes > needed {   // memory is short: only what this request needs
            bytes = needed
            address = sv_syscall1(Int64(SV_SYS_MAP_MEMORY), UInt64(bytes))
        }
        guard address > 0, let start = UnsafeMutableRawPointer(bitPattern: UInt(address)) else { return nil }
        mappedBytes += bytes
        if regions == nil {
            // The region table itself lives at the start of the first mapped region.
            let table = start.bindMemory(to: HeapAllocator.self, capacity: maximumRegions)
            regions = table
            (table + 0).initialize(to: HeapAllocator(start: start + tableBytes, size: bytes - tableBytes))
        } else {
            (regions! + regionCount).initialize(to: HeapAllocator(start: start, size: bytes))
        }
        regionCount += 1
        return regions![regionCount - 1].allocate(size: size, alignment: alignment)
    }

    static func free(_ pointer: UnsafeMutableRawPointer) {
        if bootstrap!.contains(pointer) { bootstrap!.free(pointer); return }
        for i in 0..<regionCount where regions![i].contains(pointer) {
            regions![i].free(pointer)
            return
        }
        preconditionFailure("free of a pointer that is not on the heap")
    }
}

/// The heap, for programs that manage raw memory (and for the allocation benchmark).
public enum Heap {
    public static func allocate(_ size: Int, alignment: Int = 16) -> UnsafeMutableRawPointer? {
        UserHeap.allocate(size: size, alignment: alignment)
    }
    public static func release(_ pointer: UnsafeMutableRawPointer) { UserHeap.free(pointer) }
}

@_cdecl("posix_memalign")
func posixMemalign(_ result: UnsafeMutablePointer<UnsafeMutableRawPointer?>, _ alignment: Int, _ size: Int) -> Int32 {
    guard let p = UserHeap.allocate(size: size, alignment: alignment) else { return 12 }   // ENOMEM
    result.pointee = p
    return 0
}

@_cdecl("sv_user_heap_free")
func userHeapFree(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    UserHeap.free(pointer)
}

@_cdecl("putchar")
func putchar(_ c: Int32) -> Int32 {
    StandardOutput.put(UInt8(truncatingIfNeeded: c))
    return c
}

@_cdecl("arc4random_buf")
func arc4randomBuf(_ buffer: UnsafeMutableRawPointer, _ count: Int) {
    SeedBytes.fill(buffer, count: count, seed: sv_user_rdtsc())
}

/// stdout: to the console, line-buffered (one write system call per line); or, when the environment
/// names a file (SV_STDOUT, set by the shell for `command > file`, which has created or emptied it),
/// appended to that file through the file server a buffer at a time; or, for "pipe:ID", into that
/// pipe (a pipeline stage).
public enum StandardOutput {
    enum Target { case unknown, console, file(String), pipe(UInt64), failed }
    nonisolated(unsafe) static var length = 0
    nonisolated(unsafe) static var target = Target.unknown
    static let capacity = 4096

    static func put(_ byte: UInt8) {
        sv_user_stdout_buffer()[length] = byte
        length += 1
        if length == capacity || byte == UInt8(ascii: "\n") && isConsole { flush() }
    }

    static func resolve() {
        guard case .unknown = target else { return }
        if let name = Environment.get("SV_STDOUT") {
            target = Pipes.parse(name).map { .pipe($0) } ?? .file(Paths.absolute(name))
        } else {
            target = .console
        }
    }

    static var isConsole: Bool {
        resolve()
        if case .console = target { return true }
        return false
    }

    public static func flush() {
        guard length > 0 else { return }
        let bytes = UnsafeRawBufferPointer(start: sv_user_stdout_buffer(), count: length)
        length = 0
        write(bytes)
    }

    /// Writes `bytes` after what is buffered.
    public static func write(_ bytes: [UInt8]) {
        // SAFETY: the buffer is valid for the call, which copies or sends it before returning.
        bytes.withUnsafeBytes { write($0) }
    }

    /// Writes `bytes` after what is buffered (the C library's stdout and the runtime's buffer).
    public static func write(_ bytes: UnsafeRawBufferPointer) {
        if length > 0 { flush() }
        resolve()
        let failure: (String, Errno)?
        switch target {
        case .unknown, .console:
            _ = System.write(1, bytes)
            return
        case .failed:
            return
        case .file(let path):
            if case .failure(let e) = Files.append(path, Array(bytes)) { failure = (path, e) } else { failure = nil }
        case .pipe(let id):
            if case .failure(let e) = Pipes.write(id, bytes) { failure = ("the pipe", e) } else { failure = nil }
        }
        if let (what, e) = failure {
            target = .failed   // say it once, on the console, and drop the rest
            // Nobody reading any more (`… | head`) is how a pipeline ends, not an error to report.
            guard e.code != SV_EPIPE || what != "the pipe" else { return }
            let message = Array("standard output to \(what): \(e.description)\n".utf8)
            System.write(2, message)
        }
    }
}

/// stderr: always the console (fd 2), unbuffered — so errors are seen even when stdout goes to a file.
public enum StandardError {
    public static func print(_ line: String) {
        StandardOutput.flush()   // keep the order on the console when both go there
        var text = line + "\n"
        text.withUTF8 { _ = System.write(2, UnsafeRawBufferPointer($0)) }
    }
}
