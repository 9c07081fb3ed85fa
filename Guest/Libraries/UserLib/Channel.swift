// Channel.swift — the user side of the kernel's synchronous IPC (sv_syscall.h): serve and look up
// named endpoints, call with a request, a reply buffer and an optional lease; receive, reply and
// copy through a caller's lease; the bytes of a protocol struct (sv_fs.h, sv_blk.h, sv_pipe.h).
// Named Channel, not IPC: the kernel's side of the same calls is Kernel's `IPC`.
// This is the system-call layer: its pointers are the kernel's arguments, each valid for the call.
import ABI
import UserRuntime

/// A reply struct of an ABI header that is `int64_t status` (>= 0 ok, or -errno) and `uint64_t value`.
public protocol StatusReply {
    var status: Int64 { get }
    var value: UInt64 { get }
}
extension sv_blk_reply: StatusReply {}
extension sv_pipe_reply: StatusReply {}

public enum Channel {
    /// The bytes of a protocol struct from an ABI header, as a message carries them.
    public static func encode<T: BitwiseCopyable>(_ value: T) -> [UInt8] {
        // SAFETY: a BitwiseCopyable value's bytes are its whole value; they are copied out while
        // `value` is alive.
        withUnsafeBytes(of: value) { Array($0) }
    }

    /// A reply that is a status and a value (sv_blk.h, sv_pipe.h): the value, or the errno it
    /// carries (EIO for one too short to be a reply).
    public static func decodeStatus<T: StatusReply & BitwiseCopyable>(_ type: T.Type, _ bytes: [UInt8]) -> Result<UInt64, Errno> {
        guard let r = decode(T.self, bytes) else { return .failure(Errno(SV_EIO)) }
        return r.status < 0 ? .failure(Errno(Int32(truncatingIfNeeded: -r.status))) : .success(r.value)
    }

    /// A protocol struct read from the front of a message; nil if the message is shorter.
    public static func decode<T: BitwiseCopyable>(_ type: T.Type, _ bytes: [UInt8]) -> T? {
        guard bytes.count >= MemoryLayout<T>.size else { return nil }
        // SAFETY: the buffer holds at least size(T) bytes (checked above); any bytes are a valid
        // value of a C struct of integers, and loadUnaligned needs no alignment.
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
    }

    /// Registers this process as the server of `name`; returns the endpoint or a negative errno.
    public static func serve(_ name: String) -> Int {
        var n = name
        // SAFETY: the name's UTF-8 bytes are valid for the call; the kernel copies at most count.
        return n.withUTF8 { Int(sv_syscall2(Int64(SV_SYS_IPC_SERVE), UInt64(UInt(bitPattern: $0.baseAddress)), UInt64($0.count))) }
    }

    /// The endpoint serving `name`, or a negative errno (ENOENT: nobody serves it yet).
    public static func lookup(_ name: String) -> Int {
        var n = name
        // SAFETY: as in serve.
        return n.withUTF8 { Int(sv_syscall2(Int64(SV_SYS_IPC_LOOKUP), UInt64(UInt(bitPattern: $0.baseAddress)), UInt64($0.count))) }
    }

    /// Calls `endpoint` and waits for the reply. `lease` is lent to the server for the call
    /// (`leaseFlags`: SV_LEASE_READ and/or SV_LEASE_WRITE). Returns the reply, or a negative errno
    /// (EPIPE: the server went away).
    public static func call(_ endpoint: Int, request: [UInt8], lease: UnsafeMutableRawBufferPointer? = nil,
                            leaseFlags: Int32 = 0) -> Result<[UInt8], Errno> {
        var reply = [UInt8](repeating: 0, count: Int(SV_IPC_MESSAGE_MAX))
        var length: Int64 = 0
        // SAFETY: request, reply and the call record live across the system call; the kernel
        // checks every address and length against this process's memory (KernelCore UserMemory),
        // writes at most reply_capacity bytes, and the caller keeps `lease` valid for the call.
        request.withUnsafeBytes { req in
            reply.withUnsafeMutableBytes { rep in
                var c = sv_ipc_call(request: UInt64(UInt(bitPattern: req.baseAddress)), request_length: UInt64(req.count),
                                    reply: UInt64(UInt(bitPattern: rep.baseAddress)), reply_capacity: UInt64(rep.count),
                                    lease: UInt64(UInt(bitPattern: lease?.baseAddress)), lease_length: UInt64(lease?.count ?? 0),
                                    lease_flags: UInt64(leaseFlags))
                length = withUnsafeMutablePointer(to: &c) {
                    sv_syscall2(Int64(SV_SYS_IPC_CALL), UInt64(bitPattern: Int64(endpoint)), UInt64(UInt(bitPattern: $0)))
                }
            }
        }
        guard length >= 0 else { return .failure(Errno(Int32(-length))) }
        return .success(Array(reply.prefix(Int(length))))
    }

    public struct Message {
        public var caller: UInt64
        public var request: [UInt8]
        public var leaseLength: Int
        public var leaseFlags: Int32
        /// Who called, as the kernel stamped it (sv_ipc_identity): the only identity a server trusts.
        public var identity: Identity = Identity()
    }

    /// sv_ipc_identity: the caller's pid, effective ids, supplementary groups and umask.
    public struct Identity: Equatable {
        public var pid: Int32 = 0
        public var uid: UInt32 = 0
        public var gid: UInt32 = 0
        public var umask: UInt32 = 0
        public var groups: [UInt32] = []

        public init() {}
        init(_ i: sv_ipc_identity) {
            var i = i
            pid = i.pid; uid = i.uid; gid = i.gid; umask = i.umask
            let n = Int(min(i.group_count, UInt32(SV_NGROUPS_MAX)))
            // SAFETY: reads the first n (≤ SV_NGROUPS_MAX) ids of the fixed-size array.
            groups = withUnsafeBytes(of: &i.groups) { raw in (0..<n).map { raw.load(fromByteOffset: $0 * 4, as: UInt32.self) } }
        }

        /// Root: every file check passes but exec's (XSH 4.5 "appropriate privileges").
        public var isRoot: Bool { uid == 0 }
        /// In group `g`: the effective group or a supplementary one.
        public func isMember(of g: UInt32) -> Bool { gid == g || groups.contains(g) }
    }

    /// Waits for the next call to `endpoint` (which this process serves).
    public static func receive(_ endpoint: Int) -> Result<Message, Errno> {
        var m = sv_ipc_message()
        // SAFETY: `m` is a whole sv_ipc_message, alive for the call; the kernel fills at most it.
        let r = withUnsafeMutablePointer(to: &m) {
            sv_syscall2(Int64(SV_SYS_IPC_RECEIVE), UInt64(bitPattern: Int64(endpoint)), UInt64(UInt(bitPattern: $0)))
        }
        return message(r, m)
    }

    /// Answers `caller` with `reply` and waits for the next call, in one system call (a server's
    /// loop). A caller that went away meanwhile is skipped.
    public static func replyAndReceive(_ endpoint: Int, caller: UInt64, reply: [UInt8]) -> Result<Message, Errno> {
        var m = sv_ipc_message()
        // SAFETY: as in receive, and the reply's bytes are valid for the call (copied by the kernel).
        let r = reply.withUnsafeBytes { bytes in
            withUnsafeMutablePointer(to: &m) {
                sv_syscall5(Int64(SV_SYS_IPC_REPLY_RECEIVE), UInt64(bitPattern: Int64(endpoint)), UInt64(UInt(bitPattern: $0)),
                            caller, UInt64(UInt(bitPattern: bytes.baseAddress)), UInt64(bytes.count))
            }
        }
        return message(r, m)
    }

    static func message(_ r: Int64, _ m: sv_ipc_message) -> Result<Message, Errno> {
        var m = m
        guard r == 0 else { return .failure(Errno(Int32(-r))) }
        // SAFETY: the copy is limited to the buffer's size (SV_IPC_MESSAGE_MAX).
        let request = withUnsafeBytes(of: &m.buffer) { Array($0.prefix(Int(min(m.length, UInt64(SV_IPC_MESSAGE_MAX))))) }
        return .success(Message(caller: m.caller, request: request, leaseLength: Int(m.lease_length), leaseFlags: Int32(m.lease_flags),
                                identity: Identity(m.identity)))
    }

    /// Answers `caller`'s call with `bytes` (at most 256).
    @discardableResult
    public static func reply(_ caller: UInt64, _ bytes: [UInt8]) -> Int {
        // SAFETY: the bytes are valid for the call; the kernel copies at most SV_IPC_MESSAGE_MAX.
        bytes.withUnsafeBytes { Int(sv_syscall3(Int64(SV_SYS_IPC_REPLY), caller, UInt64(UInt(bitPattern: $0.baseAddress)), UInt64($0.count))) }
    }

    /// Copies from `caller`'s lease at `offset` into `buffer[range]`; the count copied or a negative errno.
    public static func leaseRead(_ caller: UInt64, offset: Int, into buffer: inout [UInt8], _ range: Range<Int>) -> Int {
        // SAFETY: the slice is bounds-checked by Array and valid for the call; the kernel writes
        // at most its count.
        buffer.withUnsafeMutableBytes { leaseRead(caller, offset: offset, into: UnsafeMutableRawBufferPointer(rebasing: $0[range])) }
    }

    /// Copies `bytes` into `caller`'s lease at `offset`; the count copied or a negative errno.
    public static func leaseWrite(_ caller: UInt64, offset: Int, from bytes: ArraySlice<UInt8>) -> Int {
        // SAFETY: the slice is valid for the call; the kernel reads at most its count.
        bytes.withUnsafeBytes { leaseWrite(caller, offset: offset, from: $0) }
    }

    /// Copies from `caller`'s lease at `offset` into `buffer`; the count copied or a negative errno.
    public static func leaseRead(_ caller: UInt64, offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        // SAFETY: the caller keeps `buffer` valid for the call; the kernel writes at most its count.
        Int(sv_syscall4(Int64(SV_SYS_IPC_LEASE_READ), caller, UInt64(offset), UInt64(UInt(bitPattern: buffer.baseAddress)), UInt64(buffer.count)))
    }

    /// Copies `buffer` into `caller`'s lease at `offset`; the count copied or a negative errno.
    public static func leaseWrite(_ caller: UInt64, offset: Int, from buffer: UnsafeRawBufferPointer) -> Int {
        // SAFETY: the caller keeps `buffer` valid for the call; the kernel reads at most its count.
        Int(sv_syscall4(Int64(SV_SYS_IPC_LEASE_WRITE), caller, UInt64(offset), UInt64(UInt(bitPattern: buffer.baseAddress)), UInt64(buffer.count)))
    }
}

/// An error number from the kernel or a server (sv_errno.h; the same values as Linux).
public struct Errno: Error, Equatable {
    public let code: Int32
    public init(_ code: Int32) { self.code = code }

    public var description: String {
        switch code {
        case SV_EPERM: return "not permitted"
        case SV_EACCES: return "permission denied"
        case SV_ENOEXEC: return "not an executable format"
        case SV_ENOENT: return "no such file or directory"
        case SV_EIO: return "I/O error"
        case SV_EBADF: return "bad file descriptor"
        case SV_EAGAIN: return "try again"
        case SV_ENOMEM: return "out of memory"
        case SV_EFAULT: return "bad address"
        case SV_EEXIST: return "file exists"
        case SV_ENOTDIR: return "not a directory"
        case SV_EISDIR: return "is a directory"
        case SV_EINVAL: return "invalid argument"
        case SV_ENOSPC: return "no space left on device"
        case SV_EFBIG: return "file too large"
        case SV_EROFS: return "read-only file system"
        case SV_EMLINK: return "too many links"
        case SV_EBUSY: return "device or resource busy"
        case SV_ESRCH: return "no such process"
        case SV_EPIPE: return "the server went away"
        case SV_ENAMETOOLONG: return "name too long"
        case SV_ENOSYS: return "not implemented"
        case SV_ENOTEMPTY: return "directory not empty"
        default: return "error \(code)"
        }
    }
}

extension Channel {
    /// ipc_handles: the handle of every open file description on the services this process serves
    /// (a restarted server's reclaim, sv_syscall.h).
    public static func openHandles() -> [UInt64] {
        var capacity = 256
        while true {
            var handles = [UInt64](repeating: 0, count: capacity)
            // SAFETY: the kernel stores at most `capacity` handles into the array's storage.
            let n = handles.withUnsafeMutableBytes {
                Int(sv_syscall2(Int64(SV_SYS_IPC_HANDLES), UInt64(UInt(bitPattern: $0.baseAddress)), UInt64(capacity)))
            }
            guard n >= 0 else { return [] }
            if n <= capacity { return Array(handles.prefix(n)) }
            capacity = n
        }
    }
}

extension Channel {
    /// lease_map: `caller`'s lease bytes [offset, offset + length) mapped into this server until it
    /// replies to that caller (sv_syscall.h). Read-only unless the lease was lent for writing. nil
    /// when the kernel cannot (a page not in memory, too much mapped): use leaseRead/leaseWrite.
    /// The memory is the caller's: read what you need once (copy it) before trusting it.
    public static func leaseMap(_ caller: UInt64, offset: Int, length: Int) -> UnsafeMutableRawBufferPointer? {
        guard length > 0 else { return nil }
        let r = sv_syscall3(Int64(SV_SYS_IPC_LEASE_MAP), caller, UInt64(offset), UInt64(length))
        guard r > 0 else { return nil }
        // SAFETY: the kernel mapped `length` bytes at `r` for this call; they stay mapped until the reply.
        return UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(bitPattern: UInt(r)), count: length)
    }
}
