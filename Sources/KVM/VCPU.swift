// VCPU.swift — one virtual CPU: its registers, CPUID, MSRs, and KVM_RUN returning a typed exit.
import CKVM
import Glibc

/// Owner of a vCPU file descriptor and its mmap'ed `kvm_run` area.
public struct VCPU: ~Copyable {
    public let id: UInt32
    let fd: Int32
    let runArea: UnsafeMutablePointer<kvm_run>
    let runSize: Int

    init(fd: Int32, id: UInt32, runSize: Int) throws(KVMError) {
        let area = mmap(nil, runSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        guard let area, area != MAP_FAILED else {
            let e = errno
            close(fd)
            throw KVMError("mmap kvm_run of vCPU \(id)", errno: e)
        }
        self.fd = fd
        self.id = id
        self.runSize = runSize
        self.runArea = area.assumingMemoryBound(to: kvm_run.self)
    }

    deinit {
        munmap(runArea, runSize)
        close(fd)
    }

    /// A handle other threads may use to kick this vCPU out of `KVM_RUN` (see `VCPUKicker`).
    public var kicker: VCPUKicker { VCPUKicker(run: runArea) }

    /// A copyable, non-owning handle for register access from another thread while this vCPU is
    /// outside KVM_RUN (the gdb stub's thread). Valid as long as this `VCPU` lives.
    public var handle: VCPUHandle { VCPUHandle(fd: fd) }

    /// Runs the vCPU until the next exit. The corresponding ioctl is `KVM_RUN`.
    public func run() throws(KVMError) -> VCPUExit {
        let r = ckvmIoctlValue(fd, CKVM_RUN, 0)
        if r < 0 {
            let e = errno
            if e == EINTR || e == EAGAIN {
                runArea.pointee.immediate_exit = 0
                return .interrupted
            }
            throw KVMError("KVM_RUN", errno: e)
        }
        return VCPUExit(run: runArea)
    }

    /// The bytes of the current port I/O exit (`count * size` bytes inside `kvm_run`): read them for
    /// an OUT, fill them for an IN. Valid until the next `run()`.
    public func ioData(_ exit: IOExit) -> UnsafeMutableRawBufferPointer {
        // SAFETY: KVM guarantees data_offset + size * count lies inside the kvm_run mapping; we
        // still check it against runSize.
        let length = Int(exit.size) * Int(exit.count)
        let offset = Int(exit.dataOffset)
        precondition(offset >= 0 && offset + length <= runSize, "KVM reported I/O data outside kvm_run")
        return UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(runArea) + offset, count: length)
    }

    /// The data bytes of the current MMIO exit (up to 8). Valid until the next `run()`.
    public func mmioData(_ exit: MMIOExit) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: ckvm_run_mmio_data(runArea), count: Int(min(exit.length, 8)))
    }

    public func registers() throws(KVMError) -> kvm_regs { try handle.registers() }
    public func setRegisters(_ regs: kvm_regs) throws(KVMError) { try handle.setRegisters(regs) }
    public func specialRegisters() throws(KVMError) -> kvm_sregs { try handle.specialRegisters() }
    public func setSpecialRegisters(_ sregs: kvm_sregs) throws(KVMError) { try handle.setSpecialRegisters(sregs) }
    public func setCPUID(_ entries: [kvm_cpuid_entry2]) throws(KVMError) { try handle.setCPUID(entries) }
    public func readMSR(_ index: UInt32) throws(KVMError) -> UInt64? { try handle.readMSR(index) }
    public func writeMSR(_ index: UInt32, _ value: UInt64) throws(KVMError) -> Bool { try handle.writeMSR(index, value) }
    public func setMPState(_ state: UInt32) throws(KVMError) { try handle.setMPState(state) }
    public func tscKHz() throws(KVMError) -> UInt64 { try handle.tscKHz() }
    public func setGuestDebug(_ debug: kvm_guest_debug) throws(KVMError) { try handle.setGuestDebug(debug) }
}

/// What the VMM's debugger needs of a stopped vCPU: registers, one MSR, the debug registers and
/// KVM's guest-debug controls. `VCPUHandle` is the real one; tests give a fake, which is how the
/// hardware-KVM half of the debugger (KVM_SET_GUEST_DEBUG single steps, debug registers set with
/// KVM_SET_DEBUGREGS) is exercised on a host whose KVM (PVM) cannot run it.
public protocol VCPUDebugAccess: Sendable {
    func registers() throws(KVMError) -> kvm_regs
    func setRegisters(_ regs: kvm_regs) throws(KVMError)
    func specialRegisters() throws(KVMError) -> kvm_sregs
    func readMSR(_ index: UInt32) throws(KVMError) -> UInt64?
    func debugRegisters() throws(KVMError) -> kvm_debugregs
    func setDebugRegisters(_ d: kvm_debugregs) throws(KVMError)
    func setGuestDebug(_ debug: kvm_guest_debug) throws(KVMError)
}

extension VCPUHandle: VCPUDebugAccess {}

/// Register, MSR and debug access to a vCPU by file descriptor, without owning it (see `VCPU.handle`).
public struct VCPUHandle: @unchecked Sendable {
    let fd: Int32

    /// The corresponding ioctl is `KVM_GET_REGS`.
    public func registers() throws(KVMError) -> kvm_regs {
        var regs = kvm_regs()
        _ = try ioctlChecked(fd, CKVM_GET_REGS, "KVM_GET_REGS", &regs)
        return regs
    }

    /// The corresponding ioctl is `KVM_SET_REGS`.
    public func setRegisters(_ regs: kvm_regs) throws(KVMError) {
        var copy = regs
        _ = try ioctlChecked(fd, CKVM_SET_REGS, "KVM_SET_REGS", &copy)
    }

    /// The corresponding ioctl is `KVM_GET_SREGS`.
    public func specialRegisters() throws(KVMError) -> kvm_sregs {
        var sregs = kvm_sregs()
        _ = try ioctlChecked(fd, CKVM_GET_SREGS, "KVM_GET_SREGS", &sregs)
        return sregs
    }

    /// The corresponding ioctl is `KVM_SET_SREGS`.
    public func setSpecialRegisters(_ sregs: kvm_sregs) throws(KVMError) {
        var copy = sregs
        _ = try ioctlChecked(fd, CKVM_SET_SREGS, "KVM_SET_SREGS", &copy)
    }

    /// The corresponding ioctl is `KVM_SET_CPUID2`.
    public func setCPUID(_ entries: [kvm_cpuid_entry2]) throws(KVMError) {
        let bytes = MemoryLayout<kvm_cpuid2>.size + entries.count * MemoryLayout<kvm_cpuid_entry2>.stride
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        buffer.assumingMemoryBound(to: kvm_cpuid2.self).pointee.nent = UInt32(entries.count)
        let table = (buffer + MemoryLayout<kvm_cpuid2>.size).assumingMemoryBound(to: kvm_cpuid_entry2.self)
        for (i, e) in entries.enumerated() { table[i] = e }
        _ = try ioctlChecked(fd, CKVM_SET_CPUID2, "KVM_SET_CPUID2", buffer)
    }

    /// Reads one MSR; nil if KVM does not know it. The corresponding ioctl is `KVM_GET_MSRS`.
    public func readMSR(_ index: UInt32) throws(KVMError) -> UInt64? {
        var request = MSRRequest(index: index, data: 0)
        let n = try ioctlChecked(fd, CKVM_GET_MSRS, "KVM_GET_MSRS", &request)
        return n == 1 ? request.data : nil
    }

    /// Writes one MSR; false if KVM refused it. The corresponding ioctl is `KVM_SET_MSRS`.
    public func writeMSR(_ index: UInt32, _ value: UInt64) throws(KVMError) -> Bool {
        var request = MSRRequest(index: index, data: value)
        return try ioctlChecked(fd, CKVM_SET_MSRS, "KVM_SET_MSRS", &request) == 1
    }

    /// The corresponding ioctl is `KVM_SET_MP_STATE`.
    public func setMPState(_ state: UInt32) throws(KVMError) {
        var mp = kvm_mp_state(mp_state: state)
        _ = try ioctlChecked(fd, CKVM_SET_MP_STATE, "KVM_SET_MP_STATE", &mp)
    }

    /// The guest TSC frequency in kHz. The corresponding ioctl is `KVM_GET_TSC_KHZ`.
    public func tscKHz() throws(KVMError) -> UInt64 {
        UInt64(try ioctlChecked(fd, CKVM_GET_TSC_KHZ, "KVM_GET_TSC_KHZ", value: 0))
    }

    /// Translates a guest-virtual address with the vCPU's current page tables; nil if unmapped.
    /// The corresponding ioctl is `KVM_TRANSLATE`.
    public func translate(_ virtual: UInt64) throws(KVMError) -> (physical: UInt64, writable: Bool)? {
        var t = kvm_translation()
        t.linear_address = virtual
        _ = try ioctlChecked(fd, CKVM_TRANSLATE, "KVM_TRANSLATE", &t)
        return t.valid != 0 ? (t.physical_address, t.writeable != 0) : nil
    }

    /// The corresponding ioctl is `KVM_SET_GUEST_DEBUG`.
    public func setGuestDebug(_ debug: kvm_guest_debug) throws(KVMError) {
        var copy = debug
        _ = try ioctlChecked(fd, CKVM_SET_GUEST_DEBUG, "KVM_SET_GUEST_DEBUG", &copy)
    }

    /// The corresponding ioctl is `KVM_GET_DEBUGREGS`.
    public func debugRegisters() throws(KVMError) -> kvm_debugregs {
        var d = kvm_debugregs()
        _ = try ioctlChecked(fd, CKVM_GET_DEBUGREGS, "KVM_GET_DEBUGREGS", &d)
        return d
    }

    /// The corresponding ioctl is `KVM_SET_DEBUGREGS`.
    public func setDebugRegisters(_ d: kvm_debugregs) throws(KVMError) {
        var copy = d
        _ = try ioctlChecked(fd, CKVM_SET_DEBUGREGS, "KVM_SET_DEBUGREGS", &copy)
    }
}

/// `struct kvm_msrs` with exactly one `kvm_msr_entry` (the header is 8 bytes, the entry 16).
struct MSRRequest {
    var nmsrs: UInt32 = 1
    var pad: UInt32 = 0
    var index: UInt32
    var reserved: UInt32 = 0
    var data: UInt64
    init(index: UInt32, data: UInt64) {
        self.index = index
        self.data = data
    }
}

/// Lets another thread stop a vCPU that is inside `KVM_RUN`: set `immediate_exit` and signal the
/// vCPU's thread so a KVM_RUN already in progress returns EINTR (KVM api.rst, "immediate_exit").
/// Create it on the thread that runs the vCPU. Sendable because it only writes the one byte KVM
/// documents as owned by userspace, and sends a signal.
public struct VCPUKicker: @unchecked Sendable {
    let run: UnsafeMutablePointer<kvm_run>
    let thread: pthread_t

    init(run: UnsafeMutablePointer<kvm_run>) {
        self.run = run
        self.thread = pthread_self()
        VCPUKicker.installSignalHandler()
        // The calling thread may have the signal blocked (thread pools often block everything);
        // a blocked signal would never interrupt KVM_RUN.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, VCPUKicker.signal)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The signal used to interrupt KVM_RUN. Its handler does nothing; installed without SA_RESTART
    /// so the ioctl returns EINTR.
    public static let signal = SIGUSR1

    static let installOnce: Void = {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(VCPUKicker.signal, &action, nil)
    }()

    static func installSignalHandler() { _ = installOnce }

    /// Makes the vCPU leave KVM_RUN (now, or at its next entry) with `VCPUExit.interrupted`.
    public func kick() {
        run.pointee.immediate_exit = 1
        pthread_kill(thread, VCPUKicker.signal)
    }
}
