// Runtime.swift — what the Embedded Swift runtime needs from a freestanding kernel
// (EMBEDDED-SWIFT.md §2): posix_memalign/free on the kernel heap, putchar on the console,
// arc4random_buf for hash seeding.
import Arch
import Heap
import KernelCore

nonisolated(unsafe) var kernelHeap: HeapAllocator? = nil

@_cdecl("posix_memalign")
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

/// Hash seeding only: the kernel's hash tables do not need secret seeds. rdtsc mixed with
/// splitmix64 gives distinct values per call.
@_cdecl("arc4random_buf")
func arc4randomBuf(_ buffer: UnsafeMutableRawPointer, _ count: Int) {
    var state = sv_rdtsc()
    for i in 0..<count {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        buffer.storeBytes(of: UInt8(truncatingIfNeeded: z ^ (z >> 31)), toByteOffset: i, as: UInt8.self)
    }
}
