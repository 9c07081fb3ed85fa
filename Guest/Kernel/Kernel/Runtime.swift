// Runtime.swift — what the Embedded Swift runtime needs from a freestanding kernel
// (EMBEDDED-SWIFT.md §2): posix_memalign/free on the kernel heap, putchar on the console,
// arc4random_buf for hash seeding.
import Arch
import Platform
import RuntimeSupport
import KernelCore

// SAFETY (globals): set at boot or changed only by kernel code, which runs on one CPU with
// interrupts off (HOST.md rule 3): accesses never overlap.
nonisolated(unsafe) var kernelHeap: HeapAllocator? = nil

@_cdecl("posix_memalign")
// SAFETY: the Swift runtime calls this with a valid result pointer (EMBEDDED-SWIFT.md §2).
func posixMemalign(_ result: UnsafeMutablePointer<UnsafeMutableRawPointer?>, _ alignment: Int, _ size: Int) -> Int32 {
    guard kernelHeap != nil else {
        // Before Memory.initialize: reporting must not allocate.
        Console.write("\n[kernel] PANIC: allocation before the heap exists\n")
        Power.off(status: panicExitStatus)
    }
    guard let p = kernelHeap!.allocate(size: size, alignment: alignment) else {
        Console.write("\n[kernel] PANIC: kernel heap exhausted\n")
        Power.off(status: panicExitStatus)
    }
    result.pointee = p
    return 0
}

/// `free` itself is a C forwarder (Arch/runtime.c): Swift reserves the symbol name.
@_cdecl("sv_heap_free")
func heapFree(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    kernelHeap!.free(pointer)
}

@_cdecl("putchar")
func putchar(_ c: Int32) -> Int32 {
    Console.put(UInt8(truncatingIfNeeded: c))
    return c
}

/// Hash seeding only (see RuntimeSupport/Random.swift).
@_cdecl("arc4random_buf")
func arc4randomBuf(_ buffer: UnsafeMutableRawPointer, _ count: Int) {
    SeedBytes.fill(buffer, count: count, seed: sv_rdtsc())
}
