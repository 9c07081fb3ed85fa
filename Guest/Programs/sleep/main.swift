// sleep SECONDS — waits (whole or decimal seconds: 1, 0.5).
import UserLib

let arguments = System.arguments
func nanoseconds(_ text: String) -> UInt64? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, let whole = UInt64(parts[0].isEmpty ? "0" : String(parts[0])) else { return nil }
    var fraction: UInt64 = 0
    if parts.count == 2 {
        let digits = String(parts[1].prefix(9))
        guard let f = UInt64(digits.isEmpty ? "0" : digits) else { return nil }
        fraction = f
        for _ in digits.utf8.count..<9 { fraction *= 10 }
    }
    guard whole < 1_000_000_000 else { return nil }
    return whole * 1_000_000_000 + fraction
}
guard arguments.count == 2, let ns = nanoseconds(arguments[1]) else {
    StandardError.print("usage: sleep SECONDS")
    System.exit(2)
}
System.sleep(nanoseconds: ns)
