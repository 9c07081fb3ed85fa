// DynamicLoading.swift — dlfcn.h (XSH dlopen, dlsym, dlclose, dlerror): shared objects built by
// `swiftvm-cc -shared -fPIC`, loaded by the program itself (there is no dynamic linker: programs
// are static). The ELF work — checking the file, the image's layout, the dynamic section,
// symbols, relocations — is LibCDynamic's pure Swift, tested on the host; this file does the
// system's part: read the file, map memory, set protections, run init/fini functions, keep the
// list of loaded objects and the last error.
//
// Symbols an object does not define are looked up in the main program, then in the objects
// opened with RTLD_GLOBAL, in load order. A static program has symbols to offer only if it was
// linked with -E (--export-dynamic, -rdynamic; Linux links lua with -Wl,-E for its C modules):
// swiftvm-cc then makes ld.lld emit the program's .dynsym, .dynstr and SysV .hash, found through
// _DYNAMIC (sv_program_dynamic, LibC/exports.c). Without -E an object can only use what it defines.
// Binding is always immediate (RTLD_LAZY acts as RTLD_NOW, which XSH allows). The same path
// opened again returns the same handle (a reference count); RTLD_GLOBAL given later promotes the
// object. dlclose of the last reference runs DT_FINI_ARRAY/DT_FINI and unmaps the object.
import LibCDynamic

@_extern(c, "sv_program_dynamic") func programDynamic() -> UnsafeRawPointer?

private let RTLD_LAZY: Int32 = 1, RTLD_NOW: Int32 = 2, RTLD_GLOBAL: Int32 = 0x100
private let PROT_READ: Int32 = 1, PROT_WRITE: Int32 = 2, MAP_PRIVATE: Int32 = 2, MAP_ANONYMOUS: Int32 = 0x20
/// Files larger than this are refused before they are read (a shared object of the guest is tens of KiB).
private let maximumFileSize: Int64 = 256 << 20

/// One loaded shared object. Its handle is the address of its image (unique while it is mapped).
private final class LoadedObject {
    let path: [UInt8]
    let base: UInt64
    let mapping: UnsafeMutableRawPointer
    let mappingLength: Int
    let info: DynamicInfo
    var references = 1
    var global: Bool
    init(path: [UInt8], base: UInt64, mapping: UnsafeMutableRawPointer, mappingLength: Int, info: DynamicInfo, global: Bool) {
        self.path = path; self.base = base; self.mapping = mapping; self.mappingLength = mappingLength
        self.info = info; self.global = global
    }
    var handle: UnsafeMutableRawPointer { UnsafeMutableRawPointer(bitPattern: UInt(base))! }
}

nonisolated(unsafe) private var loaded: [LoadedObject] = []
/// dlopen(NULL)'s handle: the global scope (the main program, then RTLD_GLOBAL objects).
nonisolated(unsafe) private var programHandleByte: UInt8 = 0
private var programHandle: UnsafeMutableRawPointer { UnsafeMutableRawPointer(&programHandleByte) }
/// The main program's exported symbols, read once from its dynamic section (nil: not linked with -E).
nonisolated(unsafe) private var programSymbolsRead = false
nonisolated(unsafe) private var programSymbolsCache: SymbolTable? = nil

/// The error dlerror reports next (XSH: then NULL until another failure), and the buffer it
/// returns it in (XSH lets a later call overwrite it; longer messages are cut).
nonisolated(unsafe) private var pendingError: [UInt8]? = nil
nonisolated(unsafe) private let errorBuffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: 512)

private func fail(_ parts: [UInt8]...) {
    var message: [UInt8] = []
    for p in parts { message += p }
    pendingError = message
}
private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
private func bytes(_ s: UnsafePointer<CChar>) -> [UInt8] { Array(cStringBytes(s)) }

/// The main program's symbol table from its dynamic section (DT_SYMTAB, DT_STRTAB, DT_STRSZ,
/// DT_HASH: ld.lld gives a static -E link all four; swiftvm-cc asks for the SysV hash).
private func programSymbols() -> SymbolTable? {
    if programSymbolsRead { return programSymbolsCache }
    programSymbolsRead = true
    guard let dynamic = programDynamic() else { return nil }
    var symtab: UInt64 = 0, strtab: UInt64 = 0, strsz: UInt64 = 0, hash: UInt64 = 0
    var entry = dynamic
    // SAFETY: _DYNAMIC is the program's own dynamic section, written by the linker and ended by
    // DT_NULL; its pointers are the program's link-time (= run-time) addresses.
    while true {
        let tag = entry.loadUnaligned(as: UInt64.self), value = entry.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        if tag == 0 { break }
        switch tag {
        case 6: symtab = value
        case 5: strtab = value
        case 10: strsz = value
        case 4: hash = value
        default: break
        }
        entry += 16
    }
    guard symtab != 0, strtab != 0, hash != 0, let s = UnsafeRawPointer(bitPattern: UInt(symtab)),
          let t = UnsafeRawPointer(bitPattern: UInt(strtab)), let h = UnsafeRawPointer(bitPattern: UInt(hash)) else { return nil }
    programSymbolsCache = SymbolTable(symbols: s, strings: t, stringsSize: Int(strsz), hash: h)
    return programSymbolsCache
}

/// The global scope's definition of `name`: the main program's, then each RTLD_GLOBAL object's.
private func globalLookup(_ name: UnsafeRawBufferPointer) -> UInt64? {
    if let a = programSymbols()?.lookup(name) { return a }
    for o in loaded where o.global {
        if let a = o.info.symbols.lookup(name) { return a }
    }
    return nil
}

/// Anonymous read-write memory (the file's bytes, the image), or nil.
private func mapMemory(_ length: Int) -> UnsafeMutableRawPointer? {
    guard let m = cMmap(nil, max(length, 1), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
          m != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
    return m
}

/// Reads the whole file at `path` into fresh memory (unmap it with `cMunmap(_, max(count, 1))`),
/// or sets the error and returns nil.
private func readFile(_ path: UnsafePointer<CChar>) -> UnsafeMutableRawBufferPointer? {
    let fd = cOpen(path, O_RDONLY, 0)
    guard fd >= 0 else {
        fail(bytes(path), bytes(": cannot open shared object file: "), bytes(strerror(errnoLocation().pointee)))
        return nil
    }
    defer { _ = cClose(fd) }
    let size = cLseek(fd, 0, 2)
    guard size >= 0, cLseek(fd, 0, 0) == 0 else {
        fail(bytes(path), bytes(": cannot read file data: "), bytes(strerror(errnoLocation().pointee)))
        return nil
    }
    guard size <= maximumFileSize else { fail(bytes(path), bytes(": file too large")); return nil }
    guard let buffer = mapMemory(Int(size)) else { fail(bytes(path), bytes(": out of memory")); return nil }
    var done = 0
    while done < Int(size) {
        let n = cRead(fd, buffer + done, Int(size) - done)
        if n < 0 && errnoLocation().pointee == EINTR { continue }
        guard n > 0 else {
            _ = cMunmap(buffer, max(Int(size), 1))
            fail(bytes(path), bytes(": cannot read file data: "), n == 0 ? bytes("file shrank while read") : bytes(strerror(errnoLocation().pointee)))
            return nil
        }
        done += n
    }
    return UnsafeMutableRawBufferPointer(start: buffer, count: Int(size))
}

/// Maps, relocates and protects the object in `file`; nil (error set) on any failure, with
/// nothing left mapped.
private func load(_ file: UnsafeRawBufferPointer, path: UnsafePointer<CChar>, global: Bool) -> LoadedObject? {
    func refuse(_ e: LoadError) -> LoadedObject? { fail(bytes(path), bytes(": "), bytes(e.message)); return nil }
    let layout: LoadLayout
    do { layout = try LoadLayout(file: file) } catch { return refuse(error) }
    // Room to align the base to the segments' alignment (mmap gives pages).
    let length = Int(layout.span + layout.alignment - pageSize)
    guard let mapping = mapMemory(length) else {
        fail(bytes(path), bytes(": cannot map the object: "), bytes(strerror(errnoLocation().pointee)))
        return nil
    }
    let start = UInt64(UInt(bitPattern: mapping))
    let base = (start + layout.alignment - 1) & ~(layout.alignment - 1)
    // SAFETY: [base, base + span) lies inside the fresh, zero-filled mapping of `length` bytes.
    let image = UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(bitPattern: UInt(base))!, count: Int(layout.span))
    layout.copySegments(from: file, into: image)
    let info: DynamicInfo
    let initFunctions: [UInt64]
    do {
        info = try DynamicInfo(image: UnsafeRawBufferPointer(image), layout: layout, base: base)
        try info.relocate(image: image, base: base) { globalLookup($0) }
        initFunctions = try info.initFunctions(base: base)
    } catch {
        _ = cMunmap(mapping, length)
        return refuse(error)
    }
    for range in layout.protections() {
        // SAFETY: each range lies inside the image (LoadLayout keeps segments within span).
        guard cMprotect(image.baseAddress! + Int(range.start), Int(range.end - range.start), range.protection) == 0 else {
            _ = cMunmap(mapping, length)
            fail(bytes(path), bytes(": cannot protect the object's pages: "), bytes(strerror(errnoLocation().pointee)))
            return nil
        }
    }
    let object = LoadedObject(path: bytes(path), base: base, mapping: mapping, mappingLength: length, info: info, global: global)
    loaded.append(object)
    for f in initFunctions { call(f) }
    return object
}

/// Calls a function of a loaded object that takes nothing and returns nothing (an init or fini
/// function, checked by LibCDynamic to lie in the object's code).
private func call(_ address: UInt64) {
    // SAFETY: the address is in an executable segment of a loaded object (DynamicInfo.code).
    let f = unsafeBitCast(UnsafeRawPointer(bitPattern: UInt(address))!, to: (@convention(c) () -> Void).self)
    f()
}

private func object(for handle: UnsafeMutableRawPointer?) -> LoadedObject? {
    guard let handle else { return nil }
    for o in loaded where o.handle == handle { return o }
    return nil
}

@_cdecl("dlopen")
public func dlopen(_ file: UnsafePointer<CChar>?, _ mode: Int32) -> UnsafeMutableRawPointer? {
    guard mode & ~(RTLD_LAZY | RTLD_NOW | RTLD_GLOBAL) == 0, mode & (RTLD_LAZY | RTLD_NOW) != 0 else {
        fail(bytes("invalid mode for dlopen(): RTLD_LAZY or RTLD_NOW, optionally with RTLD_GLOBAL or RTLD_LOCAL"))
        return nil
    }
    guard let file else { return programHandle }
    let path = bytes(file)
    for o in loaded where o.path == path {
        o.references += 1
        if mode & RTLD_GLOBAL != 0 { o.global = true }
        return o.handle
    }
    var candidate = path
    if !path.contains(UInt8(ascii: "/")) {
        // XSH dlopen: a file without a slash is searched for in an implementation-defined way;
        // here as glibc does without a cache: LD_LIBRARY_PATH's directories, then /lib, /usr/lib.
        var directories: [[UInt8]] = []
        if let list = getenv("LD_LIBRARY_PATH") {
            directories += Array(cStringBytes(list)).split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
                .map { $0.isEmpty ? [UInt8(ascii: ".")] : Array($0) }
        }
        directories += [Array("/lib".utf8), Array("/usr/lib".utf8)]
        guard let found = directories.first(where: { exists($0 + [UInt8(ascii: "/")] + path) }) else {
            fail(path, bytes(": cannot open shared object file: No such file or directory"))
            return nil
        }
        candidate = found + [UInt8(ascii: "/")] + path
        for o in loaded where o.path == candidate {
            o.references += 1
            if mode & RTLD_GLOBAL != 0 { o.global = true }
            return o.handle
        }
    }
    var terminated = candidate.map { CChar(bitPattern: $0) }
    terminated.append(0)
    return terminated.withUnsafeBufferPointer { p -> UnsafeMutableRawPointer? in
        guard let contents = readFile(p.baseAddress!) else { return nil }
        defer { _ = cMunmap(contents.baseAddress!, max(contents.count, 1)) }
        return load(UnsafeRawBufferPointer(contents), path: p.baseAddress!, global: mode & RTLD_GLOBAL != 0)?.handle
    }
}

/// True if `path` names something (stat succeeds).
private func exists(_ path: [UInt8]) -> Bool {
    var terminated = path.map { CChar(bitPattern: $0) }
    terminated.append(0)
    return terminated.withUnsafeBufferPointer { p in withStatBuffer { cStat(p.baseAddress!, $0) } == 0 }
}

@_cdecl("dlsym")
public func dlsym(_ handle: UnsafeMutableRawPointer?, _ name: UnsafePointer<CChar>) -> UnsafeMutableRawPointer? {
    let wanted = UnsafeRawBufferPointer(cStringBytes(name))
    let found: UInt64?
    if handle == nil || handle == programHandle {      // RTLD_DEFAULT, or dlopen(NULL)'s handle
        found = globalLookup(wanted)
        if found == nil { fail(bytes("undefined symbol: "), bytes(name)) }
    } else if let o = object(for: handle) {
        found = o.info.symbols.lookup(wanted)
        if found == nil { fail(o.path, bytes(": undefined symbol: "), bytes(name)) }
    } else {
        fail(bytes("invalid handle: not one dlopen returned, or already closed"))
        return nil
    }
    guard let found else { return nil }
    return UnsafeMutableRawPointer(bitPattern: UInt(found))
}

@_cdecl("dlclose")
public func dlclose(_ handle: UnsafeMutableRawPointer?) -> Int32 {
    if handle == programHandle { return 0 }
    guard let o = object(for: handle) else {
        fail(bytes("invalid handle: not one dlopen returned, or already closed"))
        return -1
    }
    o.references -= 1
    guard o.references == 0 else { return 0 }
    if let finis = try? o.info.finiFunctions(base: o.base) { for f in finis { call(f) } }
    loaded.removeAll { $0 === o }
    _ = cMunmap(o.mapping, o.mappingLength)
    return 0
}

@_cdecl("dlerror")
public func dlerror() -> UnsafeMutablePointer<CChar>? {
    guard let message = pendingError else { return nil }
    pendingError = nil
    let n = min(message.count, errorBuffer.count - 1)
    for i in 0..<n { errorBuffer[i] = CChar(bitPattern: message[i]) }
    errorBuffer[n] = 0
    return errorBuffer.baseAddress!
}
