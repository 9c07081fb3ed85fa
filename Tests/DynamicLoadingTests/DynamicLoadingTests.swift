// DynamicLoadingTests.swift — LibCDynamic, the ELF half of the guest's dlopen, on the host: a
// shared object built by swiftvm-cc is checked, laid out in host memory, relocated against a
// Swift function and run (its constructor, then its functions, which call back into the test);
// hostile variants of it — every truncation, random byte damage, and targeted corruptions of its
// headers, dynamic section and relocations — are refused with the right error and never crash.
import Foundation
import Glibc
import LibCDynamic
import TestSupport
import Testing

/// The module built once per test run (swiftvm-cc -shared -fPIC -O2).
let moduleBytes: Result<[UInt8], Error> = Result {
    let cc = try RepositoryPaths.requireBuilt("bin/swiftvm-cc")
    let source = RepositoryPaths.root.appendingPathComponent("Tests/DynamicLoadingTests/module.c").path
    let output = NSTemporaryDirectory() + "dltest-\(getpid()).so"
    let r = try Subprocess.run(cc, ["-shared", "-fPIC", "-O2", "-o", output, source], timeout: 120)
    guard r.status == 0 else { throw TestSetupError("swiftvm-cc -shared failed: \(r.stderr)") }
    defer { unlink(output) }
    return Array(try Data(contentsOf: URL(fileURLWithPath: output)))
}

/// The callback the module's `callback` binds to.
let callbackFunction: @convention(c) (Int32) -> Int32 = { $0 * 3 }
var callbackAddress: UInt64 { UInt64(UInt(bitPattern: unsafeBitCast(callbackFunction, to: UnsafeRawPointer.self))) }

/// A loaded image in host memory (mmap'd; executable after `protect`).
final class HostImage {
    let memory: UnsafeMutableRawPointer
    let length: Int
    let layout: LoadLayout
    let info: DynamicInfo
    var base: UInt64 { UInt64(UInt(bitPattern: memory)) }

    /// The whole of dlopen's ELF work: layout, copy, dynamic section, relocation.
    init(_ file: [UInt8], resolve: DynamicInfo.Resolver) throws {
        let layout = try file.withUnsafeBytes { b throws(LoadError) in try LoadLayout(file: b) }
        self.layout = layout
        length = Int(layout.span)
        guard let m = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), m != MAP_FAILED else {
            throw TestSetupError("mmap failed")
        }
        memory = m
        let image = UnsafeMutableRawBufferPointer(start: m, count: length)
        file.withUnsafeBytes { layout.copySegments(from: $0, into: image) }
        let base = UInt64(UInt(bitPattern: m))
        do {
            let info = try DynamicInfo(image: UnsafeRawBufferPointer(image), layout: layout, base: base)
            try info.relocate(image: image, base: base, resolve: resolve)
            self.info = info
        } catch {
            munmap(m, length)
            throw error
        }
    }
    deinit { munmap(memory, length) }

    func protect() {
        for r in layout.protections() {
            precondition(mprotect(memory + Int(r.start), Int(r.end - r.start), r.protection) == 0)
        }
    }
    func lookup(_ name: String) -> UInt64? { Array(name.utf8).withUnsafeBytes { info.symbols.lookup($0) } }
}

func resolveCallback(_ name: UnsafeRawBufferPointer) -> UInt64? {
    String(decoding: name, as: UTF8.self) == "callback" ? callbackAddress : nil
}

/// The load's outcome, as an error or success (nothing is executed).
func outcome(_ file: [UInt8]) -> LoadError? {
    do { _ = try HostImage(file, resolve: resolveCallback); return nil }
    catch let e as LoadError { return e }
    catch { return nil }
}

@Test func loadsRelocatesAndRunsAModule() throws {
    let file = try moduleBytes.get()
    let image = try HostImage(file, resolve: resolveCallback)
    image.protect()
    // The constructor runs first, as dlopen runs it.
    let inits = try image.info.initFunctions(base: image.base)
    #expect(inits.count == 1)
    for f in inits { unsafeBitCast(UnsafeRawPointer(bitPattern: UInt(f))!, to: (@convention(c) () -> Void).self)() }
    typealias IntFunction = @convention(c) (Int32) -> Int32
    func function(_ name: String) throws -> IntFunction {
        let a = try #require(image.lookup(name), "\(name) not found")
        #expect(a >= image.base && a < image.base + UInt64(image.length))
        return unsafeBitCast(UnsafeRawPointer(bitPattern: UInt(a))!, to: IntFunction.self)
    }
    #expect(try function("twice")(7) == 7 * 3 * 2 + 5 + 100)
    #expect(try function("through_pointer")(4) == 4 * 3 + 1)
    let hasWeak = unsafeBitCast(UnsafeRawPointer(bitPattern: UInt(try #require(image.lookup("has_weak"))))!,
                                to: (@convention(c) () -> Int32).self)
    #expect(hasWeak() == 0)
    // Data symbols: `pointer` holds the address of `counter` (R_X86_64_RELATIVE).
    let counter = try #require(image.lookup("counter")), pointer = try #require(image.lookup("pointer"))
    #expect(UnsafeRawPointer(bitPattern: UInt(pointer))!.load(as: UInt64.self) == counter)
    // Not exported or not there.
    #expect(image.lookup("construct") == nil)
    #expect(image.lookup("callback") == nil)
    #expect(image.lookup("twic") == nil)
}

@Test func anUndefinedSymbolIsNamed() throws {
    let file = try moduleBytes.get()
    #expect(outcome(file) == nil)
    #expect(throws: LoadError.undefinedSymbol("callback")) { try HostImage(file) { _ in nil } }
}

/// The file offset of image address `address` (through the PT_LOAD segments).
func fileOffset(_ layout: LoadLayout, _ address: UInt64) -> Int? {
    for s in layout.segments where address >= s.address && address < s.address + s.fileSize {
        return Int(s.fileOffset + address - s.address)
    }
    return nil
}
func read64(_ b: [UInt8], _ o: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[o + $1]) << (8 * UInt64($1)) } }
func write64(_ b: inout [UInt8], _ o: Int, _ v: UInt64) { for i in 0..<8 { b[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) } }

/// The module's dynamic entries: (file offset of the entry, tag, value).
func dynamicEntries(_ file: [UInt8]) throws -> [(offset: Int, tag: UInt64, value: UInt64)] {
    let layout = try file.withUnsafeBytes { b throws(LoadError) in try LoadLayout(file: b) }
    var o = try #require(fileOffset(layout, layout.dynamicAddress))
    var entries: [(offset: Int, tag: UInt64, value: UInt64)] = []
    while read64(file, o) != 0 { entries.append((o, read64(file, o), read64(file, o + 8))); o += 16 }
    return entries
}

/// The file offsets of the module's relocations of `type` (in DT_RELA and DT_JMPREL).
func relocations(_ file: [UInt8], type: UInt32) throws -> [Int] {
    let layout = try file.withUnsafeBytes { b throws(LoadError) in try LoadLayout(file: b) }
    let d = try dynamicEntries(file)
    func value(_ tag: UInt64) -> UInt64? { d.first { $0.tag == tag }?.value }
    var found: [Int] = []
    for (table, size) in [(7, 8), (23, 2)] as [(UInt64, UInt64)] {
        guard let address = value(table), let length = value(size), let start = fileOffset(layout, address) else { continue }
        for o in stride(from: start, to: start + Int(length), by: 24) where UInt32(truncatingIfNeeded: read64(file, o + 8)) == type {
            found.append(o)
        }
    }
    return found
}

@Test func targetedCorruptionsAreRefusedByName() throws {
    let file = try moduleBytes.get()
    var f = file; f[1] = 0x46
    #expect(outcome(f) == .badMagic)
    f = file; f[16] = 2                                           // ET_EXEC
    #expect(outcome(f) == .notSharedObject(type: 2))
    f = file; f[18] = 3; f[19] = 0                                // EM_386
    #expect(outcome(f) == .wrongMachine(3))
    f = file; write64(&f, 32, 1 << 40)                            // e_phoff
    #expect(outcome(f) == .programHeadersOutOfFile)
    #expect(outcome(Array(file[0..<63])) == .truncated(size: 63))

    // A relocation of a type the loader does not apply: R_X86_64_PC32 (2) in place of JUMP_SLOT.
    let jumpSlots = try relocations(file, type: 7)
    #expect(!jumpSlots.isEmpty)
    f = file; f[jumpSlots[0] + 8] = 2
    #expect(outcome(f) == .unsupportedRelocation("R_X86_64_PC32"))
    f = file; f[jumpSlots[0] + 8] = 18
    #expect(outcome(f) == .unsupportedRelocation("R_X86_64_TPOFF64"))
    // Its symbol index past the table; its target past the image.
    f = file; write64(&f, jumpSlots[0] + 8, 0xffff_0000_0000_0007)
    #expect(outcome(f) == .symbolIndexOutOfRange(index: 0xffff_0000))
    f = file; write64(&f, jumpSlots[0], 1 << 40)
    #expect(outcome(f) == .relocationOutOfImage(offset: 1 << 40))
    let relatives = try relocations(file, type: 8)
    #expect(!relatives.isEmpty)
    f = file; write64(&f, relatives[0], UInt64.max - 3)
    #expect(outcome(f) == .relocationOutOfImage(offset: UInt64.max - 3))

    // Dynamic entries pointing outside the image, a wrong entry size, a dependency.
    let entries = try dynamicEntries(file)
    func entry(_ tag: UInt64) throws -> Int { try #require(entries.first { $0.tag == tag }?.offset) }
    f = file; write64(&f, try entry(5) + 8, 1 << 33)              // DT_STRTAB
    #expect(outcome(f) == .tableOutOfImage("DT_STRTAB"))
    f = file; write64(&f, try entry(10) + 8, 1 << 33)             // DT_STRSZ
    #expect(outcome(f) == .tableOutOfImage("DT_STRTAB"))
    f = file; write64(&f, try entry(6) + 8, 1 << 33)              // DT_SYMTAB
    #expect(outcome(f) == .tableOutOfImage("DT_SYMTAB"))
    f = file; write64(&f, try entry(8) + 8, 1 << 40)              // DT_RELASZ
    #expect(outcome(f) == .tableOutOfImage("DT_RELA"))
    f = file; write64(&f, try entry(11) + 8, 16)                  // DT_SYMENT
    #expect(outcome(f) == .badEntrySize("DT_SYMENT"))
    f = file; write64(&f, try entry(4), 0x6fff_fff0)              // DT_HASH gone (DT_VERSYM instead)
    #expect(outcome(f) == .missingTable("DT_HASH or DT_GNU_HASH"))
    f = file; write64(&f, try entry(5), 1); write64(&f, try entry(5) + 8, 1)   // DT_STRTAB made DT_NEEDED of name 1
    #expect(outcome(f) == .missingTable("DT_STRTAB"))
    // The hash table's counts made huge: its table then ends outside the image.
    let layout = try file.withUnsafeBytes { b throws(LoadError) in try LoadLayout(file: b) }
    let hashAddress = try #require(entries.first { $0.tag == 4 }?.value)
    let hash = try #require(fileOffset(layout, hashAddress))
    f = file; f[hash + 7] = 0x7f
    #expect(outcome(f) == .tableOutOfImage("DT_HASH"))
}

@Test func everyTruncationIsRefusedOrHarmless() throws {
    let file = try moduleBytes.get()
    for n in 0..<file.count {
        let e = outcome(Array(file[0..<n]))
        // Cut inside the segments' bytes: refused. Past them (section headers): loads as before.
        let layout = try file.withUnsafeBytes { b throws(LoadError) in try LoadLayout(file: b) }
        let needed = layout.segments.map { Int($0.fileOffset + $0.fileSize) }.max()!
        if n < needed { #expect(e != nil, "truncated to \(n) bytes but loaded") } else { #expect(e == nil) }
    }
}

@Test func randomDamageNeverCrashes() throws {
    let file = try moduleBytes.get()
    var rng = SplitMix(seed: 0x5eed_d10e)
    var refused = 0
    let rounds = 20_000
    for _ in 0..<rounds {
        var f = file
        // The headers, the dynamic section and the tables lie in the first pages.
        let limit = min(f.count, 0x3000)
        for _ in 0..<(1 + Int(rng.next() % 4)) {
            let at = Int(rng.next() % UInt64(limit))
            f[at] = rng.next() % 3 == 0 ? 0xff : UInt8(truncatingIfNeeded: rng.next())
        }
        if outcome(f) != nil { refused += 1 }
    }
    // Not every byte matters (padding, names), but many do.
    #expect(refused > rounds / 20, "only \(refused) of \(rounds) damaged files were refused")
}

