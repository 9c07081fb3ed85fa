// cp [-r] SOURCE… DEST — copies files (-r: directories too), to DEST or into the directory DEST.
import ABI
import UserLib

nonisolated(unsafe) var tool = Tool("cp", accepted: "rR", usage: "cp [-r] SOURCE… DEST")   // one thread: see Tool
guard tool.operands.count >= 2, let destination = tool.operands.last else { tool.usage("cp [-r] SOURCE… DEST") }
let sources = tool.operands.dropLast()
let recursive = tool.has("r") || tool.has("R")
let intoDirectory = (try? Files.stat(destination).get().kind) == .directory
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
        switch Files.read(source) {
        case .failure(let e): tool.report("cannot read '\(source)'", e)
        case .success(let bytes):
            if case .failure(let e) = Files.write(target, bytes) { tool.report("cannot write '\(target)'", e); return }
            if isNew, case .success(let status) = Unix.stat(source) { _ = Files.changeMode(target, status.mode & 0o7777) }
        }
    }
}

for source in sources {
    copy(source, to: intoDirectory ? Paths.join(destination, Paths.lastComponent(source)) : destination)
}
tool.finish()
