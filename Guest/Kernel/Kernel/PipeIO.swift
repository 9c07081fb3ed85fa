// PipeIO.swift — read and write on pipes: copies between a thread's memory and the pipe's ring
// (kernel frames, through the direct map) in the pieces KernelCore's Pipe names. A call that must
// wait keeps what it asked in the thread (PendingIO) and is retried, in the thread's own address
// space, when KernelCore wakes it (Dispatch).
import ABI
import Arch
import Platform
import KernelCore

/// A pipe read or write in progress: `done` of `length` bytes at `address` so far.
struct PendingIO {
    let file: OpenFile
    let address: UInt64
    let length: UInt64
    var done: UInt64
    let writing: Bool
}

/// A pipe's ring: SV_PIPE_CAPACITY bytes in kernel frames (not the kernel heap, which is small),
/// freed when the pipe goes (its last end closed and no thread holds it).
final class PipeFrames {
    let frames: [PhysicalAddress]

    init?(bytes: Int) {
        var frames: [PhysicalAddress] = []
        for _ in 0..<(bytes + Int(pageSize) - 1) / Int(pageSize) {
            guard let f = Memory.frames!.allocate() else {
                for f in frames { Memory.frames!.free(f) }
                return nil
            }
            frames.append(f)
        }
        self.frames = frames
    }

    deinit { for f in frames { Memory.frames!.free(f) } }

    /// Calls `body` with kernel pointers for ring bytes [offset, offset + length), page by page.
    func forEachPiece(_ offset: Int, _ length: Int, _ body: (UnsafeMutableRawPointer, Int) -> Bool) -> Bool {
        var at = offset, left = length
        while left > 0 {
            let page = at / Int(pageSize), within = at % Int(pageSize)
            let n = min(left, Int(pageSize) - within)
            // SAFETY: `page` < frames.count because offset + length ≤ the ring's capacity, which
            // the frames cover; the frame is this pipe's and mapped by the direct map.
            guard body(Memory.window!.pointer(frames[page]) + within, n) else { return false }
            at += n
            left -= n
        }
        return true
    }
}

enum PipeIO {
    /// A new pipe's ring; nil when memory is short (pipe2 then fails with ENFILE... ENOMEM).
    static func attachStorage(_ pipe: Pipe) -> Bool {
        guard let frames = PipeFrames(bytes: pipe.capacity) else { return false }
        pipe.storage = frames
        return true
    }

    static func frames(_ pipe: Pipe) -> PipeFrames { pipe.storage as! PipeFrames }

    /// Starts a read or write of `length` bytes at `address`; the result goes to rax now, or
    /// when the thread is woken and the retry finishes.
    static func start(_ t: UserThread, _ file: OpenFile, address: UInt64, length: UInt64, writing: Bool) {
        // No buffer is larger than user space: a longer length would only fault sooner, and
        // clamped it converts to Int safely (a length of 2^63 trapped the kernel before).
        let length = min(length, UInt64(SV_USER_END))
        t.pendingIO = PendingIO(file: file, address: address, length: length, done: 0, writing: writing)
        resume(t)
    }

    /// Copies between the ring `pieces` and user memory from `address` on (into the ring for a
    /// write, out of it for a read); stops at the first fault. Returns the bytes copied.
    static func copy(_ pieces: [Pipe.Piece], of ring: PipeFrames, user: UserMemory, at address: UInt64, intoRing: Bool) -> Int {
        var copied = 0
        for piece in pieces {
            let whole = ring.forEachPiece(piece.offset, piece.length) { pointer, count in
                let target = address + UInt64(copied)
                let good = intoRing ? (try? user.copyIn(from: target, length: count, into: pointer)) != nil
                                    : (try? user.copyOut(to: target, from: pointer, length: count)) != nil
                if good { copied += count }
                return good
            }
            if !whole { break }
        }
        return copied
    }

    /// Moves what it can; sets rax and clears `pendingIO` when the call is over, or blocks the
    /// thread again (returns false) when it must wait.
    @discardableResult
    static func resume(_ t: UserThread) -> Bool {
        guard var io = t.pendingIO else { return true }
        let pipe: Pipe
        switch io.file.kind {
        case .pipeReader(let p), .pipeWriter(let p): pipe = p
        case .console, .errorConsole, .remote, .device: t.pendingIO = nil; t.context.rax = Syscalls.errno(SV_EBADF); return true
        }
        let user = t.userMemory
        let ring = frames(pipe)
        var result: UInt64? = nil
        if io.writing {
            loop: while true {
                switch pipe.decideWrite(remaining: Int(io.length - io.done), total: Int(io.length)) {
                case .transfer(let n):
                    if n == 0 { result = io.done; break loop }
                    let copied = copy(pipe.writablePieces(n), of: ring, user: user, at: io.address + io.done, intoRing: true)
                    pipe.produced(copied)
                    io.done += UInt64(copied)
                    if copied > 0 { kernel.pipeChanged(pipe) }
                    if copied < n { result = io.done > 0 ? io.done : Syscalls.errno(SV_EFAULT); break loop }
                case .brokenPipe:
                    // SIGPIPE first (XSH write: "the SIGPIPE signal shall also be sent"); when it
                    // is caught, blocked or ignored the write returns EPIPE (or what it moved).
                    kernel.sendSignal(to: t.process, SignalInfo(signal: Sig.PIPE, code: SigCode.kernel, pid: t.pid))
                    result = io.done > 0 ? io.done : Syscalls.errno(SV_EPIPE)
                    break loop
                case .wait:
                    if io.file.isNonBlocking { result = io.done > 0 ? io.done : Syscalls.errno(SV_EAGAIN); break loop }
                    t.pendingIO = io
                    kernel.waitForPipe(t, pipe, writing: true)
                    return false
                }
            }
        } else {
            switch pipe.decideRead(length: Int(min(io.length, UInt64(Int.max)))) {
            case .transfer(let n):
                let copied = copy(pipe.readablePieces(n), of: ring, user: user, at: io.address, intoRing: false)
                pipe.consumed(copied)
                if copied > 0 { kernel.pipeChanged(pipe) }
                result = copied > 0 || n == 0 ? UInt64(copied) : Syscalls.errno(SV_EFAULT)
            case .endOfFile:
                result = 0
            case .wait:
                if io.file.isNonBlocking { result = Syscalls.errno(SV_EAGAIN); break }
                t.pendingIO = io
                kernel.waitForPipe(t, pipe, writing: false)
                return false
            }
        }
        t.pendingIO = nil
        t.context.rax = result ?? 0
        return true
    }
}
