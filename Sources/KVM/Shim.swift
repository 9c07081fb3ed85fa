// Shim.swift — the KVM module's one door to CKVM's raw ioctl wrappers (ckvm_ioctl_ptr/_val): its
// callers are KVMError's ioctlChecked (every checked ioctl), VCPU's KVM_RUN and KVMSystem's
// version and extension checks. Outside this module, the VMM (Machine, LongMode, GuestDebugger)
// imports CKVM only for its kvm_* struct types, never for an ioctl.
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
