// Runtime.swift — what the Embedded Swift runtime needs in a user program: posix_memalign/free on
// a heap arena, putchar on buffered stdout, arc4random_buf for hash seeding.
import RuntimeSupport
import UserRuntime

nonisolated(unsafe) var userHeap: HeapAllocator? = nil

@_cdecl("posix_memalign")
func posixMemalign(_ result: UnsafeMutablePointer<UnsafeMutableRawPointer?>, _ alignment: Int, _ size: Int) -> Int32 {
    if userHeap == nil {
        userHeap = HeapAllocator(start: sv_user_heap_arena(), size: Int(sv_user_heap_arena_size()))
    }
    guard let p = userHeap!.allocate(size: size, alignment: alignment) else { return 12 }   // ENOMEM
    result.pointee = p
    return 0
}

@_cdecl("sv_user_heap_free")
func userHeapFree(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    userHeap!.free(pointer)
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

/// stdout, line-buffered: one write system call per line.
public enum StandardOutput {
    nonisolated(unsafe) static var length = 0
    static let capacity = 4096

    static func put(_ byte: UInt8) {
        sv_user_stdout_buffer()[length] = byte
        length += 1
        if byte == UInt8(ascii: "\n") || length == capacity { flush() }
    }

    public static func flush() {
        guard length > 0 else { return }
        _ = System.write(1, UnsafeRawBufferPointer(start: sv_user_stdout_buffer(), count: length))
        length = 0
    }
}
