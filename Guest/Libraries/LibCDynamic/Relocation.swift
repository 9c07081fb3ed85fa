// Relocation.swift — applying a shared object's RELA relocations to its image, all at once
// (bind now: RTLD_LAZY is allowed to bind eagerly, XSH dlopen), and finding its init and fini
// functions. The relocation types are the x86-64 psABI's (§4.4.1, table 4.10) that a shared
// object linked by ld.lld from -fPIC code needs at run time: RELATIVE (B + A), 64 (S + A),
// GLOB_DAT and JUMP_SLOT (S). Any other type is refused by name.

extension DynamicInfo {
    /// Where a symbol the object does not define comes from: the caller's search order (the main
    /// program, then objects opened with RTLD_GLOBAL). Returns the symbol's address or nil.
    public typealias Resolver = (UnsafeRawBufferPointer) -> UInt64?

    static let rNone: UInt32 = 0, r64: UInt32 = 1, rGlobDat: UInt32 = 6, rJumpSlot: UInt32 = 7, rRelative: UInt32 = 8

    /// The psABI's name of a relocation type, for the error that refuses it.
    static func relocationName(_ type: UInt32) -> String {
        let names: [String] = ["R_X86_64_NONE", "R_X86_64_64", "R_X86_64_PC32", "R_X86_64_GOT32", "R_X86_64_PLT32",
                               "R_X86_64_COPY", "R_X86_64_GLOB_DAT", "R_X86_64_JUMP_SLOT", "R_X86_64_RELATIVE",
                               "R_X86_64_GOTPCREL", "R_X86_64_32", "R_X86_64_32S", "R_X86_64_16", "R_X86_64_PC16",
                               "R_X86_64_8", "R_X86_64_PC8", "R_X86_64_DTPMOD64", "R_X86_64_DTPOFF64",
                               "R_X86_64_TPOFF64", "R_X86_64_TLSGD", "R_X86_64_TLSLD", "R_X86_64_DTPOFF32",
                               "R_X86_64_GOTTPOFF", "R_X86_64_TPOFF32", "R_X86_64_PC64", "R_X86_64_GOTOFF64",
                               "R_X86_64_GOTPC32", "R_X86_64_GOT64", "R_X86_64_GOTPCREL64", "R_X86_64_GOTPC64",
                               "R_X86_64_GOTPLT64", "R_X86_64_PLTOFF64", "R_X86_64_SIZE32", "R_X86_64_SIZE64",
                               "R_X86_64_GOTPC32_TLSDESC", "R_X86_64_TLSDESC_CALL", "R_X86_64_TLSDESC",
                               "R_X86_64_IRELATIVE", "R_X86_64_RELATIVE64"]
        return Int(type) < names.count ? names[Int(type)] : "type \(type)"
    }

    /// Applies every relocation of DT_RELA and DT_JMPREL to `image` (the object loaded at `base`,
    /// writable). A symbol the object defines binds to its own definition; any other goes to
    /// `resolve`; an undefined weak symbol not found binds to 0 (gABI §4 "Symbol Values").
    /// Nothing is written until a relocation is checked; on an error the image is half-relocated
    /// and must be thrown away.
    public func relocate(image: UnsafeMutableRawBufferPointer, base: UInt64, resolve: Resolver) throws(LoadError) {
        for (start, size) in [relocations, pltRelocations] where size > 0 {
            var o = start
            while o + 24 <= start + size {
                let offset = self.image.u64(o), info = self.image.u64(o + 8), addend = self.image.u64(o + 16)
                try apply(offset: offset, type: UInt32(truncatingIfNeeded: info), symbol: info >> 32, addend: addend,
                          image: image, base: base, resolve: resolve)
                o += 24
            }
        }
    }

    func apply(offset: UInt64, type: UInt32, symbol index: UInt64, addend: UInt64,
               image: UnsafeMutableRawBufferPointer, base: UInt64, resolve: Resolver) throws(LoadError) {
        guard type != DynamicInfo.rNone else { return }
        guard type == DynamicInfo.r64 || type == DynamicInfo.rGlobDat || type == DynamicInfo.rJumpSlot || type == DynamicInfo.rRelative else {
            throw .unsupportedRelocation(DynamicInfo.relocationName(type))
        }
        guard offset <= layout.span, layout.span - offset >= 8, UInt64(image.count) >= layout.span else {
            throw .relocationOutOfImage(offset: offset)
        }
        let value: UInt64
        if type == DynamicInfo.rRelative {
            value = base &+ addend
        } else {
            let s = try symbols.symbol(index)
            let target: UInt64
            if index == 0 {
                target = 0                      // STN_UNDEF: the value 0 (gABI §4 "Relocation")
            } else if s.section != 0 {
                target = symbols.address(of: s)
            } else {
                let name = try symbols.name(at: s.nameOffset)
                if let found = resolve(name) { target = found }
                else if s.isWeak { target = 0 }
                else { throw .undefinedSymbol(String(decoding: name, as: UTF8.self)) }
            }
            value = type == DynamicInfo.r64 ? target &+ addend : target
        }
        image.storeBytes(of: value.littleEndian, toByteOffset: Int(offset), as: UInt64.self)
    }

    /// The object's initialisation functions in the order gABI §5 "Initialization and Termination
    /// Functions" runs them: DT_INIT, then DT_INIT_ARRAY's entries (read after relocation). Each
    /// address must lie in an executable segment; 0 and -1 entries are skipped (as glibc does).
    public func initFunctions(base: UInt64) throws(LoadError) -> [UInt64] {
        var result: [UInt64] = []
        if let f = initFunction { result.append(try code(f, base: base, "DT_INIT")) }
        result += try arrayFunctions(initArray, base: base, "DT_INIT_ARRAY")
        return result
    }

    /// The termination functions in the order they run: DT_FINI_ARRAY's entries backwards, then DT_FINI.
    public func finiFunctions(base: UInt64) throws(LoadError) -> [UInt64] {
        var result = try arrayFunctions(finiArray, base: base, "DT_FINI_ARRAY").reversed() as [UInt64]
        if let f = finiFunction { result.append(try code(f, base: base, "DT_FINI")) }
        return result
    }

    func arrayFunctions(_ array: (UInt64, UInt64), base: UInt64, _ name: String) throws(LoadError) -> [UInt64] {
        var result: [UInt64] = []
        var o = array.0
        while o + 8 <= array.0 + array.1 {
            let entry = image.u64(o)
            if entry != 0, entry != UInt64.max { result.append(try code(entry &- base, base: base, name)) }
            o += 8
        }
        return result
    }

    /// base + offset, if offset lies inside one of the object's executable segments.
    func code(_ offset: UInt64, base: UInt64, _ name: String) throws(LoadError) -> UInt64 {
        for s in layout.segments where s.flags & 1 != 0 && offset >= s.address && offset < s.end { return base &+ offset }
        throw .badFunctionAddress(name)
    }
}
