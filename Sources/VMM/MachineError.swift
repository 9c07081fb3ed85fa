// MachineError.swift — environment errors that stop `swiftvm run` before or while booting, each
// naming the file or operation that failed. Guest misbehaviour is not an error here: it ends the
// run with a status (see `RunOutcome`).
import ELF
import GuestMemory
import KVM

public enum MachineError: Error, CustomStringConvertible {
    case kvm(KVMError)
    case memory(GuestMemoryError)
    case cannotRead(path: String, reason: String)
    case badKernel(path: String, ELFError)
    case kernelDoesNotFit(path: String, detail: String)
    case initrdDoesNotFit(path: String, size: UInt64, memory: UInt64)
    case badMemorySize(UInt64)
    /// RAM would end past the guest-physical address width KVM reports (CPUID 0x80000008).
    case memoryBeyondPhysicalAddressWidth(UInt64, bits: Int)
    case commandLineTooLong(Int)
    case debugger(String)
    case device(String)
    case badOption(String)

    public var description: String {
        switch self {
        case .kvm(let e): return e.description
        case .memory(let e): return e.description
        case .cannotRead(let p, let r): return "\(p): \(r)"
        case .badKernel(let p, let e): return "\(p): bad kernel ELF: \(e)"
        case .kernelDoesNotFit(let p, let d): return "\(p): kernel does not fit guest RAM: \(d)"
        case .initrdDoesNotFit(let p, let s, let m): return "\(p): initrd of \(s) bytes does not fit after the kernel in \(m >> 20) MiB of guest RAM"
        case .badMemorySize(let s):
            return "memory size \(s >> 20) MiB is outside [\(MachineConfiguration.minimumMemory >> 20) MiB, \(MachineConfiguration.maximumMemory >> 20) MiB]"
        case .memoryBeyondPhysicalAddressWidth(let s, let bits):
            return "memory size \(s >> 20) MiB puts RAM past this CPU's \(bits)-bit guest-physical address space (at most \(MachineConfiguration.largestMemory(physicalAddressBits: bits) >> 20) MiB)"
        case .commandLineTooLong(let n): return "command line of \(n) bytes exceeds 4095"
        case .debugger(let message): return message
        case .device(let message): return message
        case .badOption(let message): return message
        }
    }
}
