// ModelTests.swift — model-based testing: long random sequences of operations applied both to the
// filesystem and to a plain in-memory model, compared after every step, after every remount
// (with a clean fsck) and, for snapshots, against the model as it was when each was taken.
import Testing
@testable import RedoxFS

enum ModelEntry: Equatable {
    case file([UInt8])
    case directory
    case symlink([UInt8])
}

struct Model {
    var entries: [String: ModelEntry] = ["/": .directory]

    static func parent(_ p: String) -> String {
        guard let slash = p.lastIndex(of: "/"), p != "/" else { return "/" }
        let parent = String(p[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    func isDirectory(_ p: String) -> Bool { entries[p] == .directory }

    func children(_ p: String) -> [String] {
        let prefix = p == "/" ? "/" : p + "/"
        return entries.keys.filter { $0 != "/" && $0.hasPrefix(prefix) && !$0.dropFirst(prefix.count).contains("/") }
    }

    mutating func create(_ p: String, _ e: ModelEntry) -> Bool {
        guard isDirectory(Model.parent(p)), entries[p] == nil else { return false }
        entries[p] = e
        return true
    }

    mutating func rename(_ src: String, _ dst: String) -> Bool {
        guard src != "/", dst != "/", isDirectory(Model.parent(src)), isDirectory(Model.parent(dst)),
              let s = entries[src] else { return false }
        if src == dst { return true }
        if s == .directory {
            if dst.hasPrefix(src + "/") { return false }
            if let d = entries[dst] {
                guard d == .directory, children(dst).isEmpty else { return false }
            }
        } else if entries[dst] == .directory {
            return false
        }
        entries[dst] = nil
        var moved: [String: ModelEntry] = [:]
        for (k, v) in entries where k == src || k.hasPrefix(src + "/") {
            moved[dst + k.dropFirst(src.count)] = v
        }
        entries = entries.filter { !($0.key == src || $0.key.hasPrefix(src + "/")) }
        entries.merge(moved) { a, _ in a }
        return true
    }
}

/// Reads a whole tree back into model form through the given accessors.
/// Without `contents`, files are compared by size only (their bytes read back as zeros of that size).
func snapshotOfTree(list: ([UInt8]) throws -> [DirectoryEntry], stat: ([UInt8]) throws -> FileInfo,
                    read: (NodeID, Int) throws -> [UInt8], readLink: ([UInt8]) throws -> [UInt8],
                    contents: Bool = true) throws -> [String: ModelEntry] {
    var result: [String: ModelEntry] = ["/": .directory]
    var queue = ["/"]
    while let dir = queue.popLast() {
        for e in try list(Array(dir.utf8)) {
            let path = (dir == "/" ? "/" : dir + "/") + String(decoding: e.name, as: UTF8.self)
            switch e.kind {
            case .directory:
                result[path] = .directory
                queue.append(path)
            case .file:
                let info = try stat(Array(path.utf8))
                result[path] = .file(contents ? try read(info.id, Int(info.size)) : [UInt8](repeating: 0, count: Int(info.size)))
            case .symlink:
                result[path] = .symlink(try readLink(Array(path.utf8)))
            }
        }
    }
    return result
}

func liveTree(_ fs: FileSystem<MemoryDevice>, contents: Bool = true) throws -> [String: ModelEntry] {
    try snapshotOfTree(list: { try fs.list($0) }, stat: { try fs.stat($0) },
                       read: { try fs.read(id: $0, at: 0, count: $1) }, readLink: { try fs.readLink($0) },
                       contents: contents)
}

/// The model with file contents replaced by zeros of the same size (for size-only comparisons).
func sizesOnly(_ m: [String: ModelEntry]) -> [String: ModelEntry] {
    m.mapValues { if case .file(let c) = $0 { return .file([UInt8](repeating: 0, count: c.count)) }; return $0 }
}

func describeDifference(_ a: [String: ModelEntry], _ b: [String: ModelEntry]) -> String {
    for k in Set(a.keys).union(b.keys).sorted() where a[k] != b[k] {
        func d(_ e: ModelEntry?) -> String {
            switch e {
            case nil: return "absent"
            case .directory: return "dir"
            case .file(let c): return "file(\(c.count) bytes)"
            case .symlink(let t): return "symlink(\(t.count))"
            }
        }
        return "\(k): fs \(d(a[k])), model \(d(b[k]))"
    }
    return "equal"
}

@Suite struct ModelTests {
    static let names = ["a", "b", "c", "dd", "e"]

    func randomPath(_ rng: inout SeededRNG, in model: Model) -> String {
        // Mostly under existing directories, so operations usually succeed.
        let dirs = model.entries.filter { $0.value == .directory }.keys.sorted()
        let dir = dirs[Int(rng.next() % UInt64(dirs.count))]
        let name = ModelTests.names[Int(rng.next() % UInt64(ModelTests.names.count))]
        return (dir == "/" ? "/" : dir + "/") + name
    }

    func existing(_ rng: inout SeededRNG, in model: Model, where keep: (ModelEntry) -> Bool) -> String? {
        let candidates = model.entries.filter { $0.key != "/" && keep($0.value) }.keys.sorted()
        if candidates.isEmpty { return nil }
        return candidates[Int(rng.next() % UInt64(candidates.count))]
    }

    @Test("random operations agree with the model, across commits, remounts and snapshots",
          arguments: [UInt64(1), 2, 3])
    func randomOperations(seed: UInt64) throws {
        print("ModelTests seed \(seed)")
        var rng = SeededRNG(seed: seed)
        var fs = try freshFS(blocks: 4096)
        var model = Model()
        var snapshots: [(name: String, model: [String: ModelEntry])] = []
        var snapshotCounter = 0
        for step in 0..<400 {
            let op = rng.next() % 100
            var expectSuccess = true
            var succeeded = true
            do {
                switch op {
                case 0..<14:
                    let p = randomPath(&rng, in: model)
                    expectSuccess = model.create(p, .file([]))
                    try fs.createFile(Array(p.utf8))
                case 14..<20:
                    let p = randomPath(&rng, in: model)
                    expectSuccess = model.create(p, .directory)
                    try fs.makeDirectory(Array(p.utf8))
                case 20..<23:
                    let p = randomPath(&rng, in: model)
                    let target = Array("t\(rng.next() % 1000)".utf8)
                    expectSuccess = model.create(p, .symlink(target))
                    try fs.makeSymlink(Array(p.utf8), target: target)
                case 23..<50:
                    guard let p = existing(&rng, in: model, where: { if case .file = $0 { return true }; return false }),
                          case .file(var data) = model.entries[p]! else { continue }
                    let r = rng.next() % 100
                    let length = r < 70 ? Int(rng.next() % 5000) + 1 : r < 95 ? Int(rng.next() % 300_000) + 1 : 131_072
                    // Now and then far out, leaving a hole (and reaching the single-indirect records
                    // past 16 MiB once in a while).
                    let far = rng.next() % 40
                    let offset = far == 0 ? 16_777_216 + Int(rng.next() % 300_000) : far < 4 ? Int(rng.next() % 1_500_000)
                        : Int(rng.next() % UInt64(data.count + 1000))
                    let bytes = pattern(length, seed: rng.next())
                    if data.count < offset + length { data += [UInt8](repeating: 0, count: offset + length - data.count) }
                    data.replaceSubrange(offset..<offset + length, with: bytes)
                    model.entries[p] = .file(data)
                    try fs.write(id: fs.lookup(Array(p.utf8)), at: UInt64(offset), bytes)
                case 50..<58:
                    guard let p = existing(&rng, in: model, where: { if case .file = $0 { return true }; return false }),
                          case .file(var data) = model.entries[p]! else { continue }
                    let size = Int(rng.next() % UInt64(data.count * 2 + 1000))
                    if size < data.count { data.removeLast(data.count - size) } else {
                        data += [UInt8](repeating: 0, count: size - data.count)
                    }
                    model.entries[p] = .file(data)
                    try fs.truncate(id: fs.lookup(Array(p.utf8)), size: UInt64(size))
                case 58..<70:
                    guard let src = existing(&rng, in: model, where: { _ in true }) else { continue }
                    let dst = rng.next() % 3 == 0 ? (existing(&rng, in: model, where: { _ in true }) ?? "/zz") : randomPath(&rng, in: model)
                    expectSuccess = model.rename(src, dst)
                    try fs.rename(Array(src.utf8), Array(dst.utf8))
                case 70..<78:
                    guard let p = existing(&rng, in: model, where: { $0 != .directory }) else { continue }
                    model.entries[p] = nil
                    try fs.unlink(Array(p.utf8))
                case 78..<83:
                    guard let p = existing(&rng, in: model, where: { $0 == .directory }) else { continue }
                    expectSuccess = model.children(p).isEmpty
                    if expectSuccess { model.entries[p] = nil }
                    try fs.removeDirectory(Array(p.utf8))
                case 83..<90:
                    try fs.commit()
                case 90..<94:
                    try fs.commit()
                    fs = try FileSystem.mount(fs.device)
                    let report = try fs.check()
                    #expect(report.isClean, "step \(step): \(report.problems.prefix(3).map(\.description))")
                case 94..<97:
                    if snapshots.count >= 3 {
                        let victim = snapshots.remove(at: Int(rng.next() % 3))
                        try fs.deleteSnapshot(Array(victim.name.utf8))
                    }
                    snapshotCounter += 1
                    let name = "snap\(snapshotCounter)"
                    try fs.createSnapshot(Array(name.utf8))
                    snapshots.append((name, model.entries))
                default:
                    guard !snapshots.isEmpty else { continue }
                    let s = snapshots[Int(rng.next() % UInt64(snapshots.count))]
                    let view = try fs.snapshot(Array(s.name.utf8))
                    let tree = try snapshotOfTree(list: { try view.list($0) }, stat: { try view.stat($0) },
                                                  read: { try view.read(id: $0, at: 0, count: $1) },
                                                  readLink: { try view.readLink($0) })
                    #expect(tree == s.model, "step \(step) snapshot \(s.name): \(describeDifference(tree, s.model))")
                }
            } catch {
                succeeded = false
                #expect(!expectSuccess, "step \(step) op \(op): unexpected \(error)")
            }
            if succeeded && !expectSuccess { Issue.record("step \(step) op \(op): succeeded but the model says it fails") }
            // Structure and sizes after every step; every byte every tenth step and after remounts.
            let full = step % 10 == 0 || (90..<94).contains(op)
            let tree = try liveTree(fs, contents: full)
            let expected = full ? model.entries : sizesOnly(model.entries)
            #expect(tree == expected, "step \(step) op \(op): \(describeDifference(tree, expected))")
            if tree != expected { return }
            // Big sparse files are cut back so the comparisons stay cheap.
            for (p, e) in model.entries {
                if case .file(let c) = e, c.count > 4_000_000 {
                    model.entries[p] = .file(Array(c[0..<100_000]))
                    try fs.truncate(id: fs.lookup(Array(p.utf8)), size: 100_000)
                }
            }
        }
        try fs.commit()
        let final = try FileSystem.mount(fs.device)
        #expect(try liveTree(final) == model.entries)
        let report = try final.check()
        #expect(report.isClean, "\(report.problems.prefix(5).map(\.description))")
    }
}
