// mv [-finvT] SOURCE… DEST — renames SOURCE to DEST, or moves the SOURCEs into the directory DEST.
// As GNU's: -f never asks, -n never replaces an existing DEST, -i asks on standard error before
// replacing one (an answer starting with y or Y replaces it; an ended input does not), the last of
// -f -i -n given wins; -v says "renamed 'SOURCE' -> 'TARGET'"; -T takes DEST as the target even
// when it is a directory.
import UserLib

nonisolated(unsafe) var tool = Tool("mv", accepted: "finvT", usage: "mv [-finvT] SOURCE… DEST")   // one thread: see Tool
guard tool.operands.count >= 2, let destination = tool.operands.last else { tool.usage("mv [-finvT] SOURCE… DEST") }
let sources = tool.operands.dropLast()

/// What to do with an existing target: the last of -f, -i, -n in the arguments.
enum Replace { case always, ask, never }
nonisolated(unsafe) var replace = Replace.always
for argument in System.arguments.dropFirst() where argument.utf8.first == UInt8(ascii: "-") && argument != "--" {
    for flag in argument.utf8.dropFirst() {
        switch flag {
        case UInt8(ascii: "f"): replace = .always
        case UInt8(ascii: "i"): replace = .ask
        case UInt8(ascii: "n"): replace = .never
        default: break
        }
    }
}

/// One line of standard input answers "overwrite?": yes when it starts with y or Y.
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

let intoDirectory = !tool.has("T") && (try? Files.stat(destination).get().kind) == .directory
if sources.count > 1 && !intoDirectory { tool.report("target '\(destination)' is not a directory"); tool.finish() }
for source in sources {
    let target = intoDirectory ? Paths.join(destination, Paths.lastComponent(source)) : destination
    if case .success = Files.stat(target), case .success = Files.stat(source) {
        if replace == .never { continue }
        if replace == .ask && !confirmed("mv: overwrite '\(target)'? ") { continue }
    }
    if case .failure(let e) = Files.rename(source, to: target) {
        tool.report("cannot move '\(source)' to '\(target)'", e)
    } else if tool.has("v") {
        print("renamed '\(source)' -> '\(target)'")
    }
}
tool.finish()
