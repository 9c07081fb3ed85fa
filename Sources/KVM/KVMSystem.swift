// KVMSystem.swift — the /dev/kvm handle: API version, capabilities, supported CPUID, VM creation.
import CKVM
import Glibc

/// Owner of the /dev/kvm file descriptor.
public struct KVMSystem: ~Copyable {
    let fd: Int32

    /// Opens `/dev/kvm` and checks the API version (KVM api.rst §4.1: must be 12).
    public init(path: String = "/dev/kvm") throws(KVMError) {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw KVMError("open \(path)", errno: errno) }
        let version = ckvmIoctlValue(fd, CKVM_GET_API_VERSION, 0)
        guard version == 12 else {
            let e = version < 0 ? errno : EINVAL
            close(fd)
            throw KVMError("KVM_GET_API_VERSION on \(path) (got \(version), need 12)", errno: e)
        }
        self.fd = fd
    }

    deinit { close(fd) }

    /// The corresponding ioctl is `KVM_CHECK_EXTENSION`.
    public func checkExtension(_ capability: Int32) -> Int32 {
        let r = ckvmIoctlValue(fd, CKVM_CHECK_EXTENSION, UInt(capability))
        return r < 0 ? 0 : r
    }

    /// Size of the shared `kvm_run` area. The corresponding ioctl is `KVM_GET_VCPU_MMAP_SIZE`.
    public func vcpuMmapSize() throws(KVMError) -> Int {
        Int(try ioctlChecked(fd, CKVM_GET_VCPU_MMAP_SIZE, "KVM_GET_VCPU_MMAP_SIZE", value: 0))
    }

    /// The CPUID leaves KVM can virtualize. The corresponding ioctl is `KVM_GET_SUPPORTED_CPUID`.
    public func supportedCPUID() throws(KVMError) -> [kvm_cpuid_entry2] {
        let maxEntries = 256
        let bytes = MemoryLayout<kvm_cpuid2>.size + maxEntries * MemoryLayout<kvm_cpuid_entry2>.stride
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        let header = buffer.assumingMemoryBound(to: kvm_cpuid2.self)
        header.pointee.nent = UInt32(maxEntries)
        _ = try ioctlChecked(fd, CKVM_GET_SUPPORTED_CPUID, "KVM_GET_SUPPORTED_CPUID", buffer)
        let entries = (buffer + MemoryLayout<kvm_cpuid2>.size).assumingMemoryBound(to: kvm_cpuid_entry2.self)
        return Array(UnsafeBufferPointer(start: entries, count: Int(header.pointee.nent)))
    }

    /// Creates a VM. The corresponding ioctl is `KVM_CREATE_VM`.
    public func createVM() throws(KVMError) -> VirtualMachine {
        let vmfd = try ioctlChecked(fd, CKVM_CREATE_VM, "KVM_CREATE_VM", value: 0)
        return VirtualMachine(fd: vmfd, runSize: try vcpuMmapSize())
    }
}
