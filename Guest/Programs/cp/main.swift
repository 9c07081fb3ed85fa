// cp [-rRafinpvT] SOURCE… DEST — copies files (-r: directories too), to DEST or into the directory
// DEST. As GNU's: -n never replaces an existing file, -i asks first on standard error (an answer
// starting with y or Y replaces it), -f replaces one it could not open by removing it first; -p
// (and -a, which is -rp) keeps the permission bits; -v says "'SOURCE' -> 'TARGET'"; -T takes DEST
// as the target even when it is a directory.
import ABI
import UserLib

nonisolated(unsafe) var tool = Tool("cp", accepted: "rRafinpvT", usage: "cp [-rRafinpvT] SOURCE… DEST")   // one thread: see Tool
guard tool.operands.count >= 2, let destination = tool.operands.last else { tool.usage("cp [-rRafinpvT] SOURCE… DEST") }
let sources = tool.operands.dropLast()
let recursive = tool.has("r") || tool.has("R") || tool.has("a")
let preserve = tool.has("p") || tool.has("a")
let intoDirectory = !tool.has("T") && (try? Files.stat(destination).get().kind) == .directory
if tool.has("T") && sources.count > 1 { tool.report("extra operand '\(destination)'"); tool.finish() }
if tool.has("T"), case .success(let s) = Files.stat(destination), s.kind == .directory,
   case .success(let from) = Files.stat(sources[sources.startIndex]), from.kind != .directory {
    tool.report("cannot overwrite directory '\(destination)' with non-directory"); tool.finish()
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
        if !isNew && tool.has("n") { return }
        if !isNew && tool.has("i") && !confirmed("cp: overwrite '\(target)'? ") { return }
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
            guard tool.has("f") && !isNew, case .success = Files.unlink(target),
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
            if tool.has("v") { print("'\(source)' -> '\(target)'") }
        }
    }
}

for source in sources {
    copy(source, to: intoDirectory ? Paths.join(destination, Paths.lastComponent(source)) : destination)
}
tool.finish()
