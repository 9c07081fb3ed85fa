// Shim.swift — the only place the KVM module calls into CKVM's raw ioctl wrappers.
import CKVM

@inline(__always)
func ckvmIoctl(_ fd: Int32, _ request: UInt, _ arg: UnsafeMutableRawPointer?) -> Int32 {
    // SAFETY: arg points to a properly sized kvm struct owned by the caller for the call's duration.
    ckvm_ioctl_ptr(fd, request, arg)
}

@inline(__always)
func ckvmIoctlValue(_ fd: Int32, _ request: UInt, _ value: UInt) -> Int32 {
    ckvm_ioctl_val(fd, request, value)
}
