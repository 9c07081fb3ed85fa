// crash MODE — does one forbidden thing, for usertests: the kernel must stop it (status 128 +
// signal) or refuse it (an error code), and go on. Exits 0 when a refusal was as expected.
// Deliberately unsafe: its raw addresses and pointers are the forbidden things it does (not fenced).
import ABI
import UserLib
import UserRuntime

let kernelText = UInt64(SV_DIRECT_MAP_BASE) + 0x10_0000          // the kernel image (not mapped here)
let kernelData = UInt64(SV_DIRECT_MAP_BASE) + 0x20_0000
let unmappedUser: UInt64 = 0x1000_0000

func read(_ address: UInt64) -> UInt64 {
    UnsafePointer<UInt64>(bitPattern: UInt(address))!.pointee
}

/// `read` `depth` calls deep (none of them inlined or a tail call): a fault with callers, for the
/// host's symbolized backtrace of a killed program.
@inline(never) func readThrough(_ depth: Int, _ address: UInt64) -> UInt64 {
    if depth == 0 { return read(address) }
    return readThrough(depth - 1, address) &+ UInt64(depth)
}

func expect(_ what: String, _ got: Int, _ want: Int32) -> Bool {
    if got == -Int(want) { return true }
    print("crash: \(what): got \(got), expected \(-Int(want))")
    return false
}

let arguments = System.arguments
guard arguments.count >= 2 else {
    print("usage: crash MODE [ARGS]")
    System.exit(2)
}
switch arguments[1] {
case "null-read":
    print("crash: read 0x8 -> \(read(8))")
case "null-read-deep":
    print("crash: read 0x8 three calls deep -> \(readThrough(3, 8))")
case "kernel-read":
    print("crash: read kernel text -> \(read(kernelText))")
case "kernel-write":
    UnsafeMutablePointer<UInt64>(bitPattern: UInt(kernelData))!.pointee = 0xbad
    print("crash: wrote kernel data")
case "kernel-exec":
    sv_user_jump(kernelText)
case "privileged":
    print("crash: mov from cr3 -> \(sv_user_read_cr3())")
case "halt":
    sv_user_hlt()
    print("crash: hlt returned")
case "ud2":
    sv_user_ud2()
case "syscall-pointers":
    var ok = true
    ok = expect("write(NULL)", System.write(1, address: 0, length: 10), SV_EFAULT) && ok
    ok = expect("write(kernel text)", System.write(1, address: kernelText, length: 16), SV_EFAULT) && ok
    ok = expect("write(unmapped user page)", System.write(1, address: unmappedUser, length: 5), SV_EFAULT) && ok
    ok = expect("write(end of user space)", System.write(1, address: UInt64(SV_USER_END) - 4, length: 8), SV_EFAULT) && ok
    ok = expect("write(length wraps)", System.write(1, address: 0x40_0000, length: UInt64.max - 8), SV_EFAULT) && ok
    ok = expect("write(bad fd)", System.write(7, address: 0x40_0000, length: 1), SV_EBADF) && ok
    ok = expect("spawn(kernel pointer)", Int(sv_syscall3(Int64(SV_SYS_SPAWN), kernelText, 8, 0)), SV_EFAULT) && ok
    ok = expect("spawn(unknown flag)", Int(sv_syscall3(Int64(SV_SYS_SPAWN), 0x40_0000, 4, 0x80)), SV_EINVAL) && ok
    // Device rights are passed on, never created: this process was spawned without them.
    ok = expect("spawn(devices) without the right", System.spawn("hello", devices: true), SV_EPERM) && ok
    ok = expect("device_map without the right", Int(System.deviceMap(0)), SV_EPERM) && ok
    ok = expect("irq_wait without the right", System.irqWait(0), SV_EPERM) && ok
    ok = expect("dma_alloc without the right", Int(sv_syscall2(Int64(SV_SYS_DMA_ALLOC), 4096, 0x40_0000)), SV_EPERM) && ok
    ok = expect("spawn(no such program)", System.spawn("no-such-program"), SV_ENOENT) && ok
    ok = expect("wait(not a child)", System.wait(4242), SV_ECHILD) && ok
    ok = expect("env_set(kernel pointer)", Int(sv_syscall2(Int64(SV_SYS_ENV_SET), kernelText, 8)), SV_EFAULT) && ok
    ok = expect("env_set(too big)", Int(sv_syscall2(Int64(SV_SYS_ENV_SET), 0x40_0000, UInt64(SV_ENVIRONMENT_MAX) + 1)), SV_E2BIG) && ok
    let unterminated = Array("A=b".utf8)
    ok = expect("env_set(not NUL-terminated)", unterminated.withUnsafeBytes {
        Int(sv_syscall2(Int64(SV_SYS_ENV_SET), UInt64(UInt(bitPattern: $0.baseAddress)), 3)) }, SV_EINVAL) && ok
    let good = Array("A=b\0".utf8)
    ok = expect("env_set(good)", good.withUnsafeBytes {
        Int(sv_syscall2(Int64(SV_SYS_ENV_SET), UInt64(UInt(bitPattern: $0.baseAddress)), 4)) }, 0) && ok
    ok = expect("env_get(kernel pointer)", Int(sv_syscall2(Int64(SV_SYS_ENV_GET), kernelText, 64)), SV_EFAULT) && ok
    ok = (Environment.get("A") == "b") && ok
    ok = expect("programs(kernel pointer)", Int(sv_syscall2(Int64(SV_SYS_PROGRAMS), kernelText, 64)), SV_EFAULT) && ok
    ok = System.programs().contains("hello") && ok
    ok = expect("unknown system call", Int(sv_syscall0(999)), SV_ENOSYS) && ok
    System.exit(ok ? 0 : 1)
case "ipc":
    System.exit(ipcChecks() ? 0 : 1)
case "ipc-echo":
    echoServer()
case "pipes":
    System.exit(pipeChecks() ? 0 : 1)
case "pipe-writer":
    pipeWriter()
case "fs-hostile":
    System.exit(fileServerHostileChecks(requests: arguments.count > 2 ? Int(arguments[2]) ?? 2000 : 2000) ? 0 : 1)
case "spawn-storm":
    // Spawn without waiting until the kernel refuses (EAGAIN), then reap everything.
    var children = 0
    var result = 0
    while children < 1000 {
        result = System.spawn("hello")
        if result < 0 { break }
        children += 1
    }
    for _ in 0..<children { _ = System.wait(0) }
    print("crash: spawned \(children) children, then \(result)")
    System.exit(result == -Int(SV_EAGAIN) ? 0 : 1)
case "memory-hog":
    // Take memory until the kernel refuses (ENOMEM); exiting gives it all back.
    var megabytes = 0
    var result: Int64 = 0
    while megabytes < 100_000 {
        result = sv_syscall1(Int64(SV_SYS_MAP_MEMORY), 64 << 20)
        if result < 0 { break }
        megabytes += 64
    }
    print("crash: mapped \(megabytes) MiB, then \(result)")
    System.exit(result == -Int64(SV_ENOMEM) && megabytes > 0 ? 0 : 1)
case "spin":
    // spin SECONDS: stay busy in user mode (for tests that interrupt a running guest).
    let seconds = arguments.count > 2 ? UInt64(arguments[2]) ?? 10 : 10
    let end = System.clock() + seconds * 1_000_000_000
    while System.clock() < end {}
    System.exit(0)
case "peek":
    // peek ADDRESS VALUE: another process's secret must not be visible at its address here.
    guard arguments.count == 4, let address = UInt64(arguments[2], radix: 16), let secret = UInt64(arguments[3], radix: 16) else {
        System.exit(2)
    }
    System.exit(read(address) == secret ? 1 : 0)
default:
    print("crash: unknown mode \(arguments[1])")
    System.exit(2)
}
System.exit(3)   // reaching here means the forbidden thing was allowed
