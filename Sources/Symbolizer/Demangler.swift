// Demangler.swift — Swift names for people: the Swift runtime's own demangler (`swift_demangle`,
// exported by libswiftCore, which swiftvm links statically), so no helper process is needed.
// It accepts Embedded Swift's `$e` prefix as well as `$s` (checked against swift-demangle).
import Glibc

// The runtime's C entry point (swift/Runtime/Demangle.h, `swift_demangle`): returns a malloc'd
// NUL-terminated string, or NULL if `mangledName` is not a Swift symbol.
@_silgen_name("swift_demangle")
private func swift_demangle(_ mangledName: UnsafePointer<CChar>?, _ mangledNameLength: Int,
                            _ outputBuffer: UnsafeMutablePointer<CChar>?,
                            _ outputBufferSize: UnsafeMutablePointer<Int>?,
                            _ flags: UInt32) -> UnsafeMutablePointer<CChar>?

public enum Demangler {
    /// The demangled form of a Swift symbol (`$e…`, `$s…`, `_T0…`), or nil for any other name.
    public static func demangle(_ name: String) -> String? {
        // Cheap filter: C names (kernel_main, memcpy) are never Swift symbols.
        guard name.hasPrefix("$") || name.hasPrefix("_$") || name.hasPrefix("_T") else { return nil }
        var name = name
        return name.withUTF8 { bytes -> String? in
            // SAFETY: `bytes` is valid for `count` bytes for the closure; the runtime reads exactly
            // that many and returns a fresh malloc'd C string (or NULL), which we copy and free.
            guard let result = bytes.withMemoryRebound(to: CChar.self, { swift_demangle($0.baseAddress, $0.count, nil, nil, 0) }) else {
                return nil
            }
            defer { free(result) }
            return String(cString: result)
        }
    }
}
