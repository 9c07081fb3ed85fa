// VCPUExit.swift — why KVM_RUN returned, as a Swift enum (KVM api.rst §5 "The kvm_run structure").
import CKVM

public struct IOExit: Equatable, Sendable {
    public let port: UInt16
    public let size: UInt8
    public let isWrite: Bool
    public let count: UInt32
    let dataOffset: UInt64
}

public struct MMIOExit: Equatable, Sendable {
    public let address: UInt64
    public let length: UInt32
    public let isWrite: Bool
}

public enum VCPUExit: Equatable, Sendable {
    case io(IOExit)
    case mmio(MMIOExit)
    case halt
    /// Triple fault (KVM_EXIT_SHUTDOWN).
    case shutdown
    case internalError(suberror: UInt32, data: [UInt64])
    case failEntry(reason: UInt64)
    case systemEvent(type: UInt32)
    case debug(exception: UInt32, pc: UInt64, dr6: UInt64, dr7: UInt64)
    /// KVM_RUN returned EINTR: a signal or `immediate_exit` (see `VCPUKicker`).
    case interrupted
    case unknown(reason: UInt32)

    init(run: UnsafeMutablePointer<kvm_run>) {
        switch Int32(run.pointee.exit_reason) {
        case KVM_EXIT_IO:
            let v = ckvm_run_io(run)
            self = .io(IOExit(port: v.port, size: v.size, isWrite: v.direction == UInt8(KVM_EXIT_IO_OUT),
                              count: v.count, dataOffset: v.data_offset))
        case KVM_EXIT_MMIO:
            self = .mmio(MMIOExit(address: ckvm_run_mmio_addr(run), length: ckvm_run_mmio_len(run),
                                  isWrite: ckvm_run_mmio_is_write(run) != 0))
        case KVM_EXIT_HLT: self = .halt
        case KVM_EXIT_SHUTDOWN: self = .shutdown
        case KVM_EXIT_INTERNAL_ERROR:
            let n = min(ckvm_run_internal_ndata(run), 16)
            self = .internalError(suberror: ckvm_run_internal_suberror(run),
                                  data: (0..<n).map { ckvm_run_internal_data(run, $0) })
        case KVM_EXIT_FAIL_ENTRY: self = .failEntry(reason: ckvm_run_fail_entry_reason(run))
        case KVM_EXIT_SYSTEM_EVENT: self = .systemEvent(type: ckvm_run_system_event_type(run))
        case KVM_EXIT_DEBUG:
            self = .debug(exception: ckvm_run_debug_exception(run), pc: ckvm_run_debug_pc(run),
                          dr6: ckvm_run_debug_dr6(run), dr7: ckvm_run_debug_dr7(run))
        default: self = .unknown(reason: run.pointee.exit_reason)
        }
    }
}
