// Descriptors.swift — open file descriptions and per-process descriptor tables (POSIX XSH 2.14
// "File Descriptor Allocation", dup(), fcntl(), fork(), exec). A descriptor is a slot pointing at
// an open file description (shared by dup and fork, with the status flags); FD_CLOEXEC belongs to
// the slot. When the last slot pointing at a description closes, KernelState releases it (a pipe
// end closing wakes the other side).
import ABI

/// What an open file description refers to.
public enum OpenFileKind {
    /// The kernel console (fds 0–2 at boot): reads take console input, writes print.
    case console
    /// The error console (fd 2 at boot): writes go to the second UART (COM2), which swiftvm
    /// passes to its stderr, or to the console where there is none; reads are console reads.
    case errorConsole
    case pipeReader(Pipe)
    case pipeWriter(Pipe)
    /// A file another process serves (RemoteFiles.swift): the server's handle and the offset.
    case remote(RemoteFile)
    /// A device the kernel itself implements (Routes.swift: /dev/null, /dev/zero, …).
    case device(KernelDevice)
}

/// An open file description.
public final class OpenFile {
    public let kind: OpenFileKind
    /// O_ACCMODE | O_APPEND | O_NONBLOCK (Linux values, sv_syscall.h).
    public internal(set) var statusFlags: UInt32
    /// Descriptor slots, in every process, that point here.
    public internal(set) var references = 0
    /// The last openHandles round that counted it (RemoteFiles.swift).
    var reclaimRound: UInt64 = 0

    public init(kind: OpenFileKind, statusFlags: UInt32) {
        self.kind = kind
        self.statusFlags = statusFlags
    }

    public var isNonBlocking: Bool { statusFlags & UInt32(SV_O_NONBLOCK) != 0 }
    public var accessMode: UInt32 { statusFlags & UInt32(SV_O_ACCMODE) }
    public var mayRead: Bool { accessMode == UInt32(SV_O_RDONLY) || accessMode == UInt32(SV_O_RDWR) }
    public var mayWrite: Bool { accessMode == UInt32(SV_O_WRONLY) || accessMode == UInt32(SV_O_RDWR) }
}

public struct DescriptorTable {
    public struct Slot {
        public let file: OpenFile
        public var closeOnExec: Bool
    }

    public static let maximum = Int(SV_DESCRIPTORS_MAX)
    public internal(set) var slots: [Slot?] = []

    public init() {}

    public func file(_ fd: Int32) -> OpenFile? { slot(fd)?.file }

    public func slot(_ fd: Int32) -> Slot? {
        guard fd >= 0, Int(fd) < slots.count else { return nil }
        return slots[Int(fd)]
    }

    public var openCount: Int { slots.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    /// Installs `file` at the lowest free descriptor ≥ `lowest` (XSH 2.14). EMFILE when full;
    /// EINVAL when `lowest` is out of range.
    public mutating func install(_ file: OpenFile, closeOnExec: Bool = false, lowest: Int32 = 0) -> Result<Int32, KernelError> {
        guard lowest >= 0, Int(lowest) < DescriptorTable.maximum else { return .failure(.init(SV_EINVAL)) }
        var fd = Int(lowest)
        while fd < slots.count && slots[fd] != nil { fd += 1 }
        guard fd < DescriptorTable.maximum else { return .failure(.init(SV_EMFILE)) }
        place(file, at: fd, closeOnExec: closeOnExec)
        return .success(Int32(fd))
    }

    mutating func place(_ file: OpenFile, at fd: Int, closeOnExec: Bool) {
        while slots.count <= fd { slots.append(nil) }
        file.references += 1
        slots[fd] = Slot(file: file, closeOnExec: closeOnExec)
    }

    /// Empties slot `fd`; returns the description if this was its last reference (to release).
    /// EBADF if it is not open.
    public mutating func close(_ fd: Int32) -> Result<OpenFile?, KernelError> {
        guard let s = slot(fd) else { return .failure(.init(SV_EBADF)) }
        slots[Int(fd)] = nil
        while let last = slots.last, last == nil { slots.removeLast() }
        s.file.references -= 1
        return .success(s.file.references == 0 ? s.file : nil)
    }

    /// dup2/dup3: `new` becomes a copy of `old` (closing what `new` held first, which is
    /// returned if that was its last reference). EBADF for a bad `old` or an out-of-range `new`.
    public mutating func duplicate(_ old: Int32, to new: Int32, closeOnExec: Bool) -> Result<OpenFile?, KernelError> {
        guard let s = slot(old) else { return .failure(.init(SV_EBADF)) }
        guard new >= 0, Int(new) < DescriptorTable.maximum else { return .failure(.init(SV_EBADF)) }
        if old == new { return .success(nil) }
        var released: OpenFile? = nil
        if slot(new) != nil, case .success(let r) = close(new) { released = r }
        place(s.file, at: Int(new), closeOnExec: closeOnExec)
        return .success(released)
    }

    public mutating func setCloseOnExec(_ fd: Int32, _ value: Bool) -> Result<Void, KernelError> {
        guard slot(fd) != nil else { return .failure(.init(SV_EBADF)) }
        slots[Int(fd)]!.closeOnExec = value
        return .success(())
    }

    /// fork: the same descriptions, one more reference each (POSIX: the child's descriptors
    /// share the parent's open file descriptions, offsets and flags included).
    public func copy() -> DescriptorTable {
        var t = DescriptorTable()
        t.slots = slots
        for s in slots { s?.file.references += 1 }
        return t
    }

    /// exec: closes every FD_CLOEXEC descriptor; returns the descriptions that lost their last reference.
    public mutating func closeOnExec() -> [OpenFile] {
        var released: [OpenFile] = []
        for fd in Array(slots.indices) where slot(Int32(fd))?.closeOnExec == true {
            if case .success(let r?) = close(Int32(fd)) { released.append(r) }
        }
        return released
    }

    /// Every open description, once per descriptor (a process's end).
    public mutating func closeAll() -> [OpenFile] {
        var released: [OpenFile] = []
        for fd in Array(slots.indices) where slot(Int32(fd)) != nil {
            if case .success(let r?) = close(Int32(fd)) { released.append(r) }
        }
        return released
    }
}
