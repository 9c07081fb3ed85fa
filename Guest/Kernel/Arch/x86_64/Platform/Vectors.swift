// Vectors.swift — x86-64 interrupt and exception vectors (SDM Vol. 3 §6.3.1): their numbers as
// this kernel uses them, their names, and the Unix signal a user-mode exception stands for.

public enum Vector {
    public static let divideError: UInt64 = 0
    public static let debug: UInt64 = 1
    public static let breakpoint: UInt64 = 3
    public static let invalidOpcode: UInt64 = 6
    public static let doubleFault: UInt64 = 8
    public static let generalProtection: UInt64 = 13
    public static let pageFault: UInt64 = 14
    public static let timer: UInt64 = 0x20
    public static let spurious: UInt64 = 0xff

    public static func name(_ v: UInt64) -> StaticString {
        switch v {
        case 0: return "divide error"
        case 1: return "debug"
        case 2: return "NMI"
        case 3: return "breakpoint"
        case 4: return "overflow"
        case 5: return "bound range"
        case 6: return "invalid opcode"
        case 7: return "device not available"
        case 8: return "double fault"
        case 10: return "invalid TSS"
        case 11: return "segment not present"
        case 12: return "stack fault"
        case 13: return "general protection"
        case 14: return "page fault"
        case 16: return "x87 error"
        case 17: return "alignment check"
        case 18: return "machine check"
        case 19: return "SIMD error"
        default: return "exception"
        }
    }

    /// The Unix signal a user exception maps to; the process's status is 128 + signal.
    public static func signal(_ v: UInt64) -> Int32 {
        switch v {
        case 0, 16, 19: return 8          // SIGFPE
        case 1, 3: return 5               // SIGTRAP
        case 6: return 4                  // SIGILL
        case 17: return 7                 // SIGBUS
        default: return 11                // SIGSEGV
        }
    }
}

