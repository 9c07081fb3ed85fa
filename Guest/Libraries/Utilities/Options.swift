// Options.swift — command-line options as GNU getopt_long parses them: short options grouped
// ("-nE"), an option's argument attached or next ("-n5", "-n 5"), long options with "=" or the next
// argument, unambiguous prefixes of long options ("--num" for "--number"), and options mixed with
// operands (GNU permutes them) until "--". "-" alone is an operand.

/// One option a tool accepts: its short letter (if any), long name (if any), whether it takes an
/// argument, and the key the tool looks it up by.
struct OptionSpec {
    let short: UInt8?
    let long: String?
    let takesArgument: Bool
    /// A long option whose argument is optional (GNU's `--color[=WHEN]`): only `--name=value`
    /// gives one; `--name` alone gives "".
    let optionalArgument: Bool
    let key: String

    init(_ short: Unicode.Scalar?, _ long: String? = nil, argument: Bool = false, optionalArgument: Bool = false, key: String? = nil) {
        self.short = short.map { UInt8($0.value) }
        self.long = long
        self.takesArgument = argument
        self.optionalArgument = optionalArgument
        self.key = key ?? long ?? String(short ?? " ")
    }
}

/// The parsed command line: options in order (key, argument) and operands.
struct ParsedOptions {
    var options: [(key: String, value: String)] = []
    var operands: [String] = []

    func has(_ key: String) -> Bool { options.contains { $0.key == key } }
    /// The last value given for `key` (GNU: a later option overrides an earlier one).
    func last(_ key: String) -> String? { options.last { $0.key == key }?.value }
}

enum OptionError: Error {
    case message(String)
}

/// Parses `arguments` against `specs`; the error is GNU's text ("invalid option -- 'x'").
func parseOptions(_ arguments: [String], _ specs: [OptionSpec]) -> Result<ParsedOptions, OptionError> {
    var parsed = ParsedOptions()
    var i = 0
    while i < arguments.count {
        let argument = arguments[i]
        let bytes = Array(argument.utf8)
        i += 1
        if argument == "--" {
            parsed.operands += arguments[i...]
            break
        }
        if bytes.count > 2 && bytes[0] == 45 && bytes[1] == 45 {
            // --name or --name=value
            let body = bytes[2...]
            let equals = body.firstIndex(of: UInt8(ascii: "="))
            let name = String(decoding: body[..<(equals ?? body.endIndex)], as: UTF8.self)
            let exact = specs.filter { $0.long == name }
            let matches = exact.isEmpty ? specs.filter { $0.long.map { $0.hasPrefix(name) } ?? false } : exact
            guard matches.count == 1 else {
                return .failure(.message(matches.isEmpty ? "unrecognized option '\(argument)'"
                                                         : "option '\(argument)' is ambiguous"))
            }
            let spec = matches[0]
            if spec.optionalArgument {
                parsed.options.append((spec.key, equals.map { String(decoding: body[($0 + 1)...], as: UTF8.self) } ?? ""))
            } else if spec.takesArgument {
                if let equals {
                    parsed.options.append((spec.key, String(decoding: body[(equals + 1)...], as: UTF8.self)))
                } else if i < arguments.count {
                    parsed.options.append((spec.key, arguments[i]))
                    i += 1
                } else {
                    return .failure(.message("option '--\(spec.long ?? name)' requires an argument"))
                }
            } else {
                guard equals == nil else {
                    return .failure(.message("option '--\(spec.long ?? name)' doesn't allow an argument"))
                }
                parsed.options.append((spec.key, ""))
            }
            continue
        }
        if bytes.count > 1 && bytes[0] == 45 {
            var j = 1
            while j < bytes.count {
                let letter = bytes[j]
                j += 1
                guard let spec = specs.first(where: { $0.short == letter }) else {
                    return .failure(.message("invalid option -- '\(String(decoding: [letter], as: UTF8.self))'"))
                }
                if spec.takesArgument {
                    if j < bytes.count {
                        parsed.options.append((spec.key, String(decoding: bytes[j...], as: UTF8.self)))
                    } else if i < arguments.count {
                        parsed.options.append((spec.key, arguments[i]))
                        i += 1
                    } else {
                        return .failure(.message("option requires an argument -- '\(String(decoding: [letter], as: UTF8.self))'"))
                    }
                    break
                }
                parsed.options.append((spec.key, ""))
            }
            continue
        }
        parsed.operands.append(argument)
    }
    return .success(parsed)
}

extension Console {
    /// Parses the options or reports the usage error (nil: exit with the tool's usage status).
    mutating func options(_ arguments: [String], _ specs: [OptionSpec]) -> ParsedOptions? {
        switch parseOptions(arguments, specs) {
        case .success(let p): return p
        case .failure(.message(let text)): usage(text); return nil
        }
    }
}

/// A decimal count with GNU's multiplier suffixes (head/tail: b 512, K/KiB 1024, kB 1000, M, MiB,
/// MB, G …); nil if it is not one or does not fit.
func parseCount(_ text: String) -> UInt64? {
    let bytes = Array(text.utf8)
    var i = 0
    var value: UInt64 = 0
    guard !bytes.isEmpty, bytes[0] >= 48 && bytes[0] <= 57 else { return nil }
    while i < bytes.count && bytes[i] >= 48 && bytes[i] <= 57 {
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(UInt64(bytes[i] - 48))
        // GNU saturates huge counts (head -c 99999999999999999999 is "everything")
        if o1 || o2 { value = UInt64.max } else { value = a }
        i += 1
    }
    let suffix = String(decoding: bytes[i...], as: UTF8.self)
    if suffix.isEmpty { return value }
    let multiplier: UInt64
    switch suffix {
    case "b": multiplier = 512
    case "K", "KiB": multiplier = 1 << 10
    case "kB", "KB": multiplier = 1000
    case "M", "MiB": multiplier = 1 << 20
    case "MB": multiplier = 1_000_000
    case "G", "GiB": multiplier = 1 << 30
    case "GB": multiplier = 1_000_000_000
    case "T", "TiB": multiplier = 1 << 40
    case "TB": multiplier = 1_000_000_000_000
    default: return nil
    }
    let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
    return overflow ? UInt64.max : product
}

/// A plain decimal number (uniq -f/-s); nil when it is not one.
func parseDecimal(_ text: String) -> Int? {
    guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
    var value = 0
    for digit in text.utf8 {
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(Int(digit - 48))
        if o1 || o2 { return Int.max }
        value = a
    }
    return value
}
