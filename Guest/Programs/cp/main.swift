// cp [-rRafinpuvT] [-t DIR] [--parents] [--preserve[=LIST]] SOURCE… DEST — copies files (-r:
// directories too), to DEST or into the directory DEST (-t DIR: into DIR, every operand a source).
// As GNU's: -n never replaces an existing file, -i asks first on standard error (an answer
// starting with y or Y replaces it), -f replaces one it could not open by removing it first, -u
// replaces only an older one (or a missing one); -p, --preserve (and -a, which is -rp) keep the
// permission bits; --parents copies SOURCE to DIR/SOURCE, making the directories between; -v says
// "'SOURCE' -> 'TARGET'"; -T takes DEST as the target even when it is a directory.
import ABI
import UserLib

/// The command line: single-letter flags (grouped), -t's directory (attached or next), the long
/// options above, "--"; a bad option is a usage error (exit 1, as GNU's).
struct CopyOptions {
    var flags: [UInt8] = []
    var targetDirectory: String? = nil
    var parents = false
    var operands: [String] = []

    func has(_ flag: Unicode.Scalar) -> Bool { flags.contains(UInt8(flag.value)) }

    static func usageError(_ message: String) -> Never {
        StandardError.print("cp: " + message)
        StandardError.print("Try 'cp --help' for more information.")
        System.exit(1)
    }

    static func parse(_ arguments: [String]) -> CopyOptions {
        var o = CopyOptions()
        var i = 0, ended = false
        let letters = Array("rRafinpuvTPdHL".utf8)
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            let bytes = Array(argument.utf8)
            if ended || bytes.count < 2 || bytes[0] != UInt8(ascii: "-") { o.operands.append(argument); continue }
            if argument == "--" { ended = true; continue }
            if bytes[1] == UInt8(ascii: "-") {
                let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
                let value = bytes.contains(UInt8(ascii: "=")) ? String(argument.drop { $0 != "=" }.dropFirst()) : nil
                switch name {
                case "--parents": o.parents = true
                case "--preserve":
                    // mode, ownership, timestamps, links, all: the guest keeps modes only
                    for item in (value ?? "mode").split(separator: ",") {
                        guard ["mode", "ownership", "timestamps", "links", "context", "xattr", "all"].contains(String(item)) else {
                            usageError("invalid argument '\(item)' for '--preserve'")
                        }
                    }
                    o.flags.append(UInt8(ascii: "p"))
                case "--target-directory":
                    if let value { o.targetDirectory = value }
                    else if i < arguments.count { o.targetDirectory = arguments[i]; i += 1 }
                    else { usageError("option '--target-directory' requires an argument") }
                case "--recursive": o.flags.append(UInt8(ascii: "r"))
                case "--archive": o.flags.append(UInt8(ascii: "a"))
                case "--force": o.flags.append(UInt8(ascii: "f"))
                case "--interactive": o.flags.append(UInt8(ascii: "i"))
                case "--no-clobber": o.flags.append(UInt8(ascii: "n"))
                case "--update": o.flags.append(UInt8(ascii: "u"))
                case "--verbose": o.flags.append(UInt8(ascii: "v"))
                case "--no-target-directory": o.flags.append(UInt8(ascii: "T"))
                default: usageError("unrecognized option '\(argument)'")
                }
                continue
            }
            var j = 1
            while j < bytes.count {
                let flag = bytes[j]
                j += 1
                if flag == UInt8(ascii: "t") {
                    if j < bytes.count { o.targetDirectory = String(decoding: bytes[j...], as: UTF8.self) }
                    else if i < arguments.count { o.targetDirectory = arguments[i]; i += 1 }
                    else { usageError("option requires an argument -- 't'") }
                    break
                }
                guard letters.contains(flag) else { usageError("invalid option -- '\(String(decoding: [flag], as: UTF8.self))'") }
                o.flags.append(flag)
            }
        }
        return o
    }
}

let options = CopyOptions.parse(Array(System.arguments.dropFirst()))
/// Error lines "cp: subject: reason" and the exit status (UserLib's Tool would parse the
/// arguments again, with single letters only).
struct Reporter {
    var failed = false
    mutating func report(_ subject: String, _ error: Errno) {
        StandardError.print("cp: \(subject): \(error.description)")
        failed = true
    }
    mutating func report(_ message: String) {
        StandardError.print("cp: " + message)
        failed = true
    }
    func finish() -> Never { System.exit(failed ? 1 : 0) }
}
nonisolated(unsafe) var tool = Reporter()   // one thread, as UserLib's Tool
if options.operands.isEmpty { CopyOptions.usageError("missing file operand") }
if options.targetDirectory == nil && options.operands.count < 2 {
    CopyOptions.usageError("missing destination file operand after '\(options.operands[0])'")
}
let destination = options.targetDirectory ?? options.operands[options.operands.count - 1]
let sources = options.targetDirectory == nil ? options.operands.dropLast() : options.operands[...]
let recursive = options.has("r") || options.has("R") || options.has("a")
let preserve = options.has("p") || options.has("a")
let intoDirectory = options.targetDirectory != nil || (!options.has("T") && (try? Files.stat(destination).get().kind) == .directory)
if options.targetDirectory != nil, (try? Files.stat(destination).get().kind) != .directory {
    tool.report("target '\(destination)' is not a directory"); tool.finish()
}
if options.has("T") && sources.count > 1 { tool.report("extra operand '\(destination)'"); tool.finish() }
if options.has("T"), case .success(let s) = Files.stat(destination), s.kind == .directory,
   case .success(let from) = Files.stat(sources[sources.startIndex]), from.kind != .directory {
    tool.report("cannot overwrite directory '\(destination)' with non-directory"); tool.finish()
}
if options.parents && !intoDirectory {
    CopyOptions.usageError("with --parents, the destination must be a directory")
}

enum CopyFailure: Error { case reading(Errno), writing(Errno) }

/// The bytes of `input` to `output`, 1 MiB at a time: memory stays bounded whatever the file's
/// size (issue 13: a 64 MiB copy once ran the guest out of memory reading the whole file), and
/// each read and write is one request to the file server — a write is a commit there, and 1 MiB
/// is the most one write call takes (SV_FS_WRITE_MAX), so the fewest of both (issue 14).
func copyBytes(from input: Int32, to output: Int32) -> Result<Void, CopyFailure> {
    var buffer = [UInt8](repeating: 0, count: FileProtocol.maximumWrite)
    while true {
        switch Unix.read(input, into: &buffer) {
        case .failure(let e): return .failure(.reading(e))
        case .success(0): return .success(())
        case .success(let n):
            if case .failure(let e) = Unix.writeAll(output, n == buffer.count ? buffer : Array(buffer[0..<n])) { return .failure(.writing(e)) }
        }
    }
}

/// -i: one line of standard input answers "overwrite?": yes when it starts with y or Y.
func confirmed(_ question: String) -> Bool {
    var text = question
    text.withUTF8 { _ = System.write(2, UnsafeRawBufferPointer($0)) }
    var answer: [UInt8] = []
    var byte = [UInt8](repeating: 0, count: 1)
    while answer.count < 256 {
        let n = byte.withUnsafeMutableBytes { System.read(0, into: $0) }
        guard n == 1, byte[0] != UInt8(ascii: "\n") else { break }
        answer.append(byte[0])
    }
    return answer.first == UInt8(ascii: "y") || answer.first == UInt8(ascii: "Y")
}
if sources.count > 1 && !intoDirectory { tool.report("target '\(destination)' is not a directory"); tool.finish() }

func copy(_ source: String, to target: String) {
    switch Files.stat(source) {
    case .failure(let e):
        tool.report("cannot stat '\(source)'", e)
    case .success(let s) where s.kind == .directory:
        guard recursive else { tool.report("-r not specified; omitting directory '\(source)'"); return }
        if case .failure(let e) = Files.makeDirectory(target), e.code != SV_EEXIST {
            tool.report("cannot create directory '\(target)'", e); return
        }
        switch Files.list(source) {
        case .failure(let e): tool.report("cannot read directory '\(source)'", e)
        case .success(let entries):
            for entry in entries { copy(Paths.join(source, entry.name), to: Paths.join(target, entry.name)) }
        }
    case .success:
        // A new file gets the source's permission bits (XCU cp: no umask yet); an existing one keeps its own.
        var isNew = true
        if case .success = Files.stat(target) { isNew = false }
        if !isNew && options.has("n") { return }
        // -u: only over an older file (modification times; a missing one is copied)
        if !isNew && options.has("u"), case .success(let from) = Unix.stat(source), case .success(let to) = Unix.stat(target),
           (from.modified.seconds, from.modified.nanoseconds) <= (to.modified.seconds, to.modified.nanoseconds) { return }
        if !isNew && options.has("i") && !confirmed("cp: overwrite '\(target)'? ") { return }
        // Opening the target truncates it: a file copied onto itself would be emptied (the guest
        // has no links, so one file has one absolute path).
        if !isNew && Paths.absolute(source) == Paths.absolute(target) {
            tool.report("'\(source)' and '\(target)' are the same file"); return
        }
        let input: Int32
        switch Unix.open(source, SV_O_RDONLY) {
        case .failure(let e): tool.report("cannot read '\(source)'", e); return
        case .success(let fd): input = fd
        }
        defer { _ = Unix.close(input) }
        var output: Int32
        switch Unix.open(target, SV_O_WRONLY | SV_O_CREAT | SV_O_TRUNC) {
        case .success(let fd): output = fd
        case .failure(let e):
            // -f: a target that cannot be opened is removed and made anew
            guard options.has("f") && !isNew, case .success = Files.unlink(target),
                  case .success(let fd) = Unix.open(target, SV_O_WRONLY | SV_O_CREAT | SV_O_TRUNC) else {
                tool.report("cannot write '\(target)'", e); return
            }
            output = fd
            isNew = true
        }
        let copied = copyBytes(from: input, to: output)
        _ = Unix.close(output)
        switch copied {
        case .failure(.reading(let e)): tool.report("error reading '\(source)'", e); return
        case .failure(.writing(let e)): tool.report("error writing '\(target)'", e); return
        case .success:
            if isNew || preserve, case .success(let status) = Unix.stat(source) { _ = Files.changeMode(target, status.mode & 0o7777) }
            if options.has("v") { print("'\(source)' -> '\(target)'") }
        }
    }
}

/// --parents: the directories of `source`'s path made under `destination` (as GNU, with the
/// source's own directories' names; an existing one is fine).
func makeParents(of source: String) -> Bool {
    var path = destination
    let components = source.split(separator: "/").map(String.init)
    for component in components.dropLast() {
        path = Paths.join(path, component)
        if case .failure(let e) = Files.makeDirectory(path), e.code != SV_EEXIST {
            tool.report("cannot make directory '\(path)'", e); return false
        }
    }
    return true
}

for source in sources {
    if options.parents {
        guard makeParents(of: source) else { continue }
        copy(source, to: Paths.join(destination, source.split(separator: "/").joined(separator: "/")))
        continue
    }
    copy(source, to: intoDirectory ? Paths.join(destination, Paths.lastComponent(source)) : destination)
}
tool.finish()
