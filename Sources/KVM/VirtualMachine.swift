// VirtualMachine.swift — a KVM VM: memory slots, the in-kernel irqchip, vCPU creation, and the
// in-kernel notification paths (ioeventfd, irqfd, MSI) devices use instead of exits.
import CKVM
import Glibc

/// Owner of a VM file descriptor.
public struct VirtualMachine: ~Copyable {
    let fd: Int32
    let runSize: Int

    init(fd: Int32, runSize: Int) {
        self.fd = fd
        self.runSize = runSize
    }

    deinit { close(fd) }

    /// Maps `size` bytes of host memory at `host` as guest-physical `guestPhysical` in `slot`.
    /// The corresponding ioctl is `KVM_SET_USER_MEMORY_REGION`.
    public func setUserMemoryRegion(slot: UInt32, guestPhysical: UInt64, size: UInt64,
                                    host: UnsafeMutableRawPointer, readOnly: Bool = false) throws(KVMError) {
        var region = kvm_userspace_memory_region(
            slot: slot, flags: readOnly ? UInt32(KVM_MEM_READONLY) : 0,
            guest_phys_addr: guestPhysical, memory_size: size,
            userspace_addr: UInt64(UInt(bitPattern: host)))
        _ = try ioctlChecked(fd, CKVM_SET_USER_MEMORY_REGION, "KVM_SET_USER_MEMORY_REGION", &region)
    }

    /// Creates the in-kernel PIC/IOAPIC/LAPIC. The corresponding ioctl is `KVM_CREATE_IRQCHIP`.
    public func createIRQChip() throws(KVMError) {
        _ = try ioctlChecked(fd, CKVM_CREATE_IRQCHIP, "KVM_CREATE_IRQCHIP", value: 0)
    }

    /// Sets the three-page TSS region Intel VMX needs below 4 GiB (ignored elsewhere).
    /// The corresponding ioctl is `KVM_SET_TSS_ADDR`.
    public func setTSSAddress(_ address: UInt64) throws(KVMError) {
        _ = try ioctlChecked(fd, CKVM_SET_TSS_ADDR, "KVM_SET_TSS_ADDR", value: UInt(address))
    }

    /// Creates vCPU `id`. The corresponding ioctl is `KVM_CREATE_VCPU`.
    public func createVCPU(id: UInt32) throws(KVMError) -> VCPU {
        let vcpufd = try ioctlChecked(fd, CKVM_CREATE_VCPU, "KVM_CREATE_VCPU", value: UInt(id))
        return try VCPU(fd: vcpufd, id: id, runSize: runSize)
    }

    /// Makes a guest write of `length` bytes to `address` (PIO or MMIO) signal `eventFD` inside KVM,
    /// without an exit to the VMM. The corresponding ioctl is `KVM_IOEVENTFD`.
    public func registerIOEventFD(_ eventFD: Int32, address: UInt64, length: UInt32, pio: Bool,
                                  matching value: UInt64? = nil) throws(KVMError) {
        var flags: UInt32 = pio ? CKVM_IOEVENTFD_FLAG_PIO : 0
        if value != nil { flags |= CKVM_IOEVENTFD_FLAG_DATAMATCH }
        var request = kvm_ioeventfd()
        request.datamatch = value ?? 0
        request.addr = address
        request.len = length
        request.fd = eventFD
        request.flags = flags
        _ = try ioctlChecked(fd, CKVM_IOEVENTFD, "KVM_IOEVENTFD", &request)
    }

    /// Makes a write to `eventFD` raise interrupt line `gsi` inside KVM. The corresponding ioctl is `KVM_IRQFD`.
    public func registerIRQFD(_ eventFD: Int32, gsi: UInt32) throws(KVMError) {
        var request = kvm_irqfd()
        request.fd = UInt32(bitPattern: eventFD)
        request.gsi = gsi
        _ = try ioctlChecked(fd, CKVM_IRQFD, "KVM_IRQFD", &request)
    }

    /// Drives interrupt line `irq` to `level`. The corresponding ioctl is `KVM_IRQ_LINE`.
    public func setIRQLine(_ irq: UInt32, level: Bool) throws(KVMError) {
        var request = kvm_irq_level()
        request.irq = irq
        request.level = level ? 1 : 0
        _ = try ioctlChecked(fd, CKVM_IRQ_LINE, "KVM_IRQ_LINE", &request)
    }

    /// Sends a message-signalled interrupt. The corresponding ioctl is `KVM_SIGNAL_MSI`.
    public func signalMSI(address: UInt64, data: UInt32) throws(KVMError) {
        var msi = kvm_msi()
        msi.address_lo = UInt32(truncatingIfNeeded: address)
        msi.address_hi = UInt32(truncatingIfNeeded: address >> 32)
        msi.data = data
        _ = try ioctlChecked(fd, CKVM_SIGNAL_MSI, "KVM_SIGNAL_MSI", &msi)
    }
}
