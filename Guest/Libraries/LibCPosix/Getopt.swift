// Getopt.swift — command-line options: getopt (POSIX XSH getopt), and GNU's getopt_long and
// getopt_long_only (getopt.h), behaving as glibc's do, since programs written on Linux expect its
// extensions: arguments are permuted so that options may follow operands (unless the option string
// begins with '+' or POSIXLY_CORRECT is set), a leading '-' returns each operand as option 1,
// "W;" takes `-W name` as `--name`, "::" marks an optional argument, and the diagnostics are
// glibc's words. CPrograms/getopt.c checks all of it against the host's glibc.
//
// optarg, optind, opterr and optopt are C variables the program reads and sets (LibC/exports.c);
// setting optind to 0 (glibc) or 1 (after a full scan) starts a new scan.
// SAFETY: argv holds argc pointers to NUL-terminated strings (C11 5.1.2.2.1 for main's; the
// same contract for any vector a program passes); longopts ends with an all-zero entry; a
// non-nil longindex and flag point at ints. The permutation moves argv's pointers, not the strings
// (POSIX declares argv `char *const[]`; glibc permutes it all the same, as programs expect).

@_extern(c, "sv_getopt_optarg") func optargLocation() -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
@_extern(c, "sv_getopt_optind") func optindLocation() -> UnsafeMutablePointer<Int32>
@_extern(c, "sv_getopt_opterr") func opterrLocation() -> UnsafeMutablePointer<Int32>
@_extern(c, "sv_getopt_optopt") func optoptLocation() -> UnsafeMutablePointer<Int32>

/// getopt.h's struct option.
struct LongOption {
    var name: UnsafePointer<CChar>?
    /// 0 no_argument, 1 required_argument, 2 optional_argument.
    var hasArgument: Int32
    var flag: UnsafeMutablePointer<Int32>?
    var value: Int32
}

/// The caller's array of struct option, read field by field at the LP64 offsets (x86-64 psABI:
/// name 0, has_arg 8, flag 16, val 24; 32 bytes each; LibCHeaderTests holds getopt.h to glibc's).
struct LongOptions {
    let base: UnsafeRawPointer

    subscript(_ i: Int) -> LongOption {
        let entry = base + i * 32
        return LongOption(name: entry.load(as: UnsafePointer<CChar>?.self),
                          hasArgument: entry.load(fromByteOffset: 8, as: Int32.self),
                          flag: entry.load(fromByteOffset: 16, as: UnsafeMutablePointer<Int32>?.self),
                          value: entry.load(fromByteOffset: 24, as: Int32.self))
    }
}

private let noArgument: Int32 = 0, requiredArgument: Int32 = 1   // optional_argument (2): neither

/// What to do with an operand met before the options end.
private enum Ordering {
    /// Stop at the first operand (POSIX; '+' or POSIXLY_CORRECT).
    case requireOrder
    /// Move operands after the options, as they are passed (GNU's default).
    case permute
    /// Return each operand as the argument of option 1 ('-').
    case returnInOrder
}

/// The scan in progress between calls (glibc's _getopt_data).
private struct ScanState {
    var initialized = false
    /// The rest of the option cluster being read (`-abc`: after `a`, "bc"); nil between words.
    var nextCharacter: UnsafeMutablePointer<CChar>? = nil
    var ordering = Ordering.permute
    /// The operands skipped so far lie in argv[firstOperand..<lastOperand].
    var firstOperand: Int32 = 1, lastOperand: Int32 = 1
}

nonisolated(unsafe) private var scan = ScanState()
/// The option character an error was about, kept across scans and copied to optopt after every
/// call — glibc keeps it so (0 until the first error; a program's own writes to optopt are
/// overwritten by the next call).
nonisolated(unsafe) private var scanOptopt: Int32 = 0

private func isOperand(_ word: UnsafeMutablePointer<CChar>) -> Bool {
    word[0] != 0x2D /* - */ || word[1] == 0
}

private func bytes(_ s: UnsafePointer<CChar>) -> [UInt8] { Array(cStringBytes(s)) }

/// Writes one diagnostic, the program's name (argv[0]) first, to stderr, as glibc's getopt does
/// (fprintf to stderr).
private func diagnose(_ program: UnsafePointer<CChar>?, _ parts: [[UInt8]]) {
    var line: [UInt8] = program.map { bytes($0) } ?? []
    for p in parts { line += p }
    line.append(0x0A)
    writeToStandardError(line)
}

/// Swaps the skipped operands argv[firstOperand..<lastOperand] with the options that followed
/// them, argv[lastOperand..<optind], keeping each group's order: afterwards the operands end at
/// optind.
private func moveOperandsAfterOptions(_ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, optind: Int32) {
    let first = Int(scan.firstOperand), last = Int(scan.lastOperand), end = Int(optind)
    let operands = Array(UnsafeBufferPointer(start: argv + first, count: last - first))
    let options = Array(UnsafeBufferPointer(start: argv + last, count: end - last))
    for (i, p) in (options + operands).enumerated() { argv[first + i] = p }
    scan.firstOperand += Int32(end - last)
    scan.lastOperand = optind
}

/// The first call of a scan: where it starts and how it orders operands (optstring's first
/// character, then POSIXLY_CORRECT).
private func startScan(_ optstring: UnsafePointer<CChar>, optind: Int32) {
    scan = ScanState(initialized: true, firstOperand: optind, lastOperand: optind)
    switch optstring[0] {
    case 0x2D /* - */: scan.ordering = .returnInOrder
    case 0x2B /* + */: scan.ordering = .requireOrder
    default: scan.ordering = getenv("POSIXLY_CORRECT") != nil ? .requireOrder : .permute
    }
}

/// The option string without its ordering prefix ('+' or '-'), read at every call as glibc does.
private func withoutOrdering(_ optstring: UnsafePointer<CChar>) -> UnsafePointer<CChar> {
    optstring[0] == 0x2D || optstring[0] == 0x2B ? optstring + 1 : optstring
}

/// The shared engine of getopt, getopt_long and getopt_long_only.
private func getoptEngine(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                          _ optstringIn: UnsafePointer<CChar>, _ longOptions: LongOptions?,
                          _ longIndex: UnsafeMutablePointer<Int32>?, longOnly: Bool) -> Int32 {
    guard argc >= 1, let argv else { return -1 }
    let optind = optindLocation(), optarg = optargLocation()
    optarg.pointee = nil
    if optind.pointee == 0 || !scan.initialized {
        if optind.pointee == 0 { optind.pointee = 1 }   // glibc: 0 asks for a new scan from 1
        startScan(optstringIn, optind: optind.pointee)
    }
    let optstring = withoutOrdering(optstringIn)
    // Report a missing argument with ':' instead of '?', and print nothing, when asked to.
    let quiet = optstring[0] == 0x3A /* : */
    let printErrors = opterrLocation().pointee != 0 && !quiet
    let program = UnsafePointer(argv[0])

    if scan.nextCharacter == nil || scan.nextCharacter!.pointee == 0 {
        // Between words: find the next option, skipping (and later moving) operands.
        if scan.lastOperand > optind.pointee { scan.lastOperand = optind.pointee }
        if scan.firstOperand > optind.pointee { scan.firstOperand = optind.pointee }
        if scan.ordering == .permute {
            if scan.firstOperand != scan.lastOperand && scan.lastOperand != optind.pointee {
                moveOperandsAfterOptions(argv, optind: optind.pointee)
            } else if scan.lastOperand != optind.pointee {
                scan.firstOperand = optind.pointee
            }
            while optind.pointee < argc, let word = argv[Int(optind.pointee)], isOperand(word) { optind.pointee += 1 }
            scan.lastOperand = optind.pointee
        }
        // "--" ends the options; the operands skipped before it join those after it.
        if optind.pointee != argc, let word = argv[Int(optind.pointee)], strcmp(word, "--") == 0 {
            optind.pointee += 1
            if scan.firstOperand != scan.lastOperand && scan.lastOperand != optind.pointee {
                moveOperandsAfterOptions(argv, optind: optind.pointee)
            } else if scan.firstOperand == scan.lastOperand {
                scan.firstOperand = optind.pointee
            }
            scan.lastOperand = argc
            optind.pointee = argc
        }
        if optind.pointee == argc {
            // Done: optind names the first operand, wherever they were moved to.
            if scan.firstOperand != scan.lastOperand { optind.pointee = scan.firstOperand }
            return -1
        }
        let word = argv[Int(optind.pointee)]!
        if isOperand(word) {
            if scan.ordering == .requireOrder { return -1 }
            optarg.pointee = word
            optind.pointee += 1
            return 1
        }
        // A long option: "--name", or "-name" for getopt_long_only (where a single letter that is
        // also a short option stays short).
        if let longOptions {
            if word[1] == 0x2D /* - */ {
                scan.nextCharacter = word + 2
                return longOption(argc, argv, optstring, longOptions, longIndex, prefix: [0x2D, 0x2D],
                                  longOnly: longOnly, printErrors: printErrors, quiet: quiet, program: program)
            }
            if longOnly && (word[2] != 0 || strchr(optstring, Int32(word[1])) == nil) {
                scan.nextCharacter = word + 1
                let r = longOption(argc, argv, optstring, longOptions, longIndex, prefix: [0x2D],
                                   longOnly: true, printErrors: printErrors, quiet: quiet, program: program)
                if r != -1 { return r }
                // No long option matched, but its first letter is a short one: read it so.
            }
        }
        scan.nextCharacter = word + 1
    }

    // The next letter of a cluster.
    let cluster = scan.nextCharacter!
    let c = cluster.pointee
    scan.nextCharacter = cluster + 1
    let spec = strchr(optstring, Int32(c))
    if scan.nextCharacter!.pointee == 0 { optind.pointee += 1 }   // the word's last letter
    guard let spec, c != 0x3A /* : */, c != 0x3B /* ; */ else {
        if printErrors { diagnose(program, [Array(": invalid option -- '".utf8), [UInt8(bitPattern: c)], [0x27]]) }
        scanOptopt = Int32(c)   // a char, as glibc stores it: signed
        return 0x3F /* ? */
    }
    // "W;": -W name is --name.
    if c == 0x57 /* W */ && spec[1] == 0x3B /* ; */, let longOptions {
        if scan.nextCharacter!.pointee == 0 {
            if optind.pointee == argc {
                if printErrors { diagnose(program, [Array(": option requires an argument -- '".utf8), [UInt8(bitPattern: c)], [0x27]]) }
                scanOptopt = Int32(c)
                return quiet ? 0x3A : 0x3F
            }
            scan.nextCharacter = argv[Int(optind.pointee)]
        }
        // The name is the rest of this word (optind still names it) or the next word (optind
        // moved to it with the cluster's last letter); reading it moves optind past its word.
        return longOption(argc, argv, optstring, longOptions, longIndex, prefix: Array("-W ".utf8),
                          longOnly: longOnly, printErrors: printErrors, quiet: quiet, program: program)
    }
    if spec[1] == 0x3A /* : */ {
        if spec[2] == 0x3A {
            // Optional: only in the same word.
            if scan.nextCharacter!.pointee != 0 {
                optarg.pointee = scan.nextCharacter
                optind.pointee += 1
            }
        } else if scan.nextCharacter!.pointee != 0 {
            optarg.pointee = scan.nextCharacter
            optind.pointee += 1
        } else if optind.pointee == argc {
            if printErrors { diagnose(program, [Array(": option requires an argument -- '".utf8), [UInt8(bitPattern: c)], [0x27]]) }
            scanOptopt = Int32(c)
            scan.nextCharacter = nil
            return quiet ? 0x3A : 0x3F
        } else {
            optarg.pointee = argv[Int(optind.pointee)]
            optind.pointee += 1
        }
        scan.nextCharacter = nil
    }
    return Int32(c)
}

/// Reads the long option at scan.nextCharacter (its name, then "=value" if any) in the word at
/// optind. Returns what getopt_long returns; -1 only for getopt_long_only's "no such long
/// option, but a short one", which the caller then reads.
private func longOption(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                        _ optstring: UnsafePointer<CChar>, _ options: LongOptions,
                        _ longIndex: UnsafeMutablePointer<Int32>?, prefix: [UInt8], longOnly: Bool,
                        printErrors: Bool, quiet: Bool, program: UnsafePointer<CChar>?) -> Int32 {
    let optind = optindLocation()
    let name = scan.nextCharacter!
    var nameLength = 0
    while name[nameLength] != 0 && name[nameLength] != 0x3D /* = */ { nameLength += 1 }

    // An exact match wins; otherwise the first abbreviation, unless a later one means another
    // option (another argument rule, flag or value; for getopt_long_only, any later one). The
    // diagnostic lists the first and those that differ from it.
    var found: Int? = nil
    var exact = false
    var i = 0
    while let optionName = options[i].name {
        if strncmp(optionName, name, nameLength) == 0 && cStrlen(optionName) == nameLength { found = i; exact = true; break }
        i += 1
    }
    var ambiguousWith: [Int] = []
    if !exact {
        i = 0
        while let optionName = options[i].name {
            if strncmp(optionName, name, nameLength) == 0 {
                if let first = found {
                    let a = options[first], b = options[i]
                    if longOnly || a.hasArgument != b.hasArgument || a.flag != b.flag || a.value != b.value { ambiguousWith.append(i) }
                } else {
                    found = i
                }
            }
            i += 1
        }
    }

    if let first = found, !ambiguousWith.isEmpty {
        if printErrors {
            var parts: [[UInt8]] = [Array(": option '".utf8), prefix, bytes(name), Array("' is ambiguous; possibilities:".utf8)]
            for k in [first] + ambiguousWith { parts += [Array(" '".utf8), prefix, bytes(options[k].name!), [0x27]] }
            diagnose(program, parts)
        }
        scan.nextCharacter = nil
        optind.pointee += 1
        scanOptopt = 0
        return 0x3F
    }
    guard let index = found else {
        // getopt_long_only falls back to a short option when "-x…" begins with one.
        if longOnly && argv[Int(optind.pointee)]![1] != 0x2D && strchr(optstring, Int32(name.pointee)) != nil {
            return -1
        }
        if printErrors { diagnose(program, [Array(": unrecognized option '".utf8), prefix, bytes(name), [0x27]]) }
        scan.nextCharacter = nil
        optind.pointee += 1
        scanOptopt = 0
        return 0x3F
    }

    let option = options[index]
    optind.pointee += 1
    scan.nextCharacter = nil
    if name[nameLength] == 0x3D /* = */ {
        if option.hasArgument == noArgument {
            if printErrors { diagnose(program, [Array(": option '".utf8), prefix, bytes(option.name!), Array("' doesn't allow an argument".utf8)]) }
            scanOptopt = option.value
            return 0x3F
        }
        optargLocation().pointee = name + nameLength + 1
    } else if option.hasArgument == requiredArgument {
        if optind.pointee < argc {
            optargLocation().pointee = argv[Int(optind.pointee)]
            optind.pointee += 1
        } else {
            if printErrors { diagnose(program, [Array(": option '".utf8), prefix, bytes(option.name!), Array("' requires an argument".utf8)]) }
            scanOptopt = option.value
            return quiet ? 0x3A : 0x3F
        }
    }
    longIndex?.pointee = Int32(index)
    if let flag = option.flag {
        flag.pointee = option.value
        return 0
    }
    return option.value
}

private func finishCall(_ result: Int32) -> Int32 {
    optoptLocation().pointee = scanOptopt
    return result
}

@_cdecl("getopt")
public func getopt(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                   _ optstring: UnsafePointer<CChar>) -> Int32 {
    finishCall(getoptEngine(argc, argv, optstring, nil, nil, longOnly: false))
}

@_cdecl("getopt_long")
public func getoptLong(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                       _ optstring: UnsafePointer<CChar>, _ longOptions: UnsafeRawPointer?,
                       _ longIndex: UnsafeMutablePointer<Int32>?) -> Int32 {
    finishCall(getoptEngine(argc, argv, optstring, longOptions.map(LongOptions.init), longIndex, longOnly: false))
}

@_cdecl("getopt_long_only")
public func getoptLongOnly(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                           _ optstring: UnsafePointer<CChar>, _ longOptions: UnsafeRawPointer?,
                           _ longIndex: UnsafeMutablePointer<Int32>?) -> Int32 {
    finishCall(getoptEngine(argc, argv, optstring, longOptions.map(LongOptions.init), longIndex, longOnly: true))
}
