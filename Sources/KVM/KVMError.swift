// KVMError.swift — a failed KVM operation: which ioctl or call failed, and the errno it returned.
import Glibc

public struct KVMError: Error, CustomStringConvertible, Equatable {
    /// The operation, named after the ioctl ("KVM_CREATE_VM") or call ("open /dev/kvm").
    public let operation: String
    public let errno: Int32

    public init(_ operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    public var description: String {
        let reason = String(cString: strerror(errno))
        switch (operation.hasPrefix("open"), errno) {
        case (true, ENOENT): return "\(operation): \(reason) (is the kvm module loaded? this machine has no KVM)"
        case (true, EACCES), (true, EPERM): return "\(operation): \(reason) (run as root or join the kvm group)"
        default: return "\(operation): \(reason)"
        }
    }
}

/// Calls an ioctl taking a pointer argument, retrying on EINTR; throws with the errno on failure.
@inline(__always)
func ioctlChecked(_ fd: Int32, _ request: UInt, _ name: String, _ arg: UnsafeMutableRawPointer?) throws(KVMError) -> Int32 {
    while true {
        let r = ckvmIoctl(fd, request, arg)
        if r >= 0 { return r }
        let e = Glibc.errno
        if e == EINTR { continue }
        throw KVMError(name, errno: e)
    }
}

/// Same for an ioctl taking an integer argument.
@inline(__always)
func ioctlChecked(_ fd: Int32, _ request: UInt, _ name: String, value: UInt) throws(KVMError) -> Int32 {
    while true {
        let r = ckvmIoctlValue(fd, request, value)
        if r >= 0 { return r }
        let e = Glibc.errno
        if e == EINTR { continue }
        throw KVMError(name, errno: e)
    }
}
