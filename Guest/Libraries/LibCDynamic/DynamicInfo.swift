// DynamicInfo.swift — a loaded shared object's dynamic section (gABI §5 "Dynamic Section"), read
// from its image (the mapped segments, `span` bytes from the load base) with every address checked
// against the image, and its symbol table (gABI §4 "Symbol Table", §5 "Hash Table").

/// A symbol table with its string table and, if the object has one, its SysV hash table. The
/// buffers are the tables' bytes; `base` is added to a defined symbol's value (0 for the main
/// program, which is linked at its run-time addresses).
public struct SymbolTable {
    let symbols: Bytes
    let strings: Bytes
    let hash: Bytes?
    public let count: UInt64
    public let base: UInt64

    /// Tables of a program loaded at its link addresses (the main program's own .dynsym): the
    /// pointers come from its dynamic section and are trusted as the program's own memory.
    public init(symbols: UnsafeRawPointer, strings: UnsafeRawPointer, stringsSize: Int, hash: UnsafeRawPointer) {
        // SAFETY: the program's DT_HASH header is two words (nbucket, nchain); nchain is the
        // number of .dynsym entries (gABI §5), so the three ranges are the linker's own tables.
        let nbucket = hash.loadUnaligned(as: UInt32.self), nchain = hash.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        self.count = UInt64(nchain)
        self.symbols = Bytes(base: UnsafeRawBufferPointer(start: symbols, count: Int(nchain) * 24))
        self.strings = Bytes(base: UnsafeRawBufferPointer(start: strings, count: stringsSize))
        self.hash = Bytes(base: UnsafeRawBufferPointer(start: hash, count: 8 + 4 * (Int(nbucket) + Int(nchain))))
        self.base = 0
    }

    init(symbols: Bytes, strings: Bytes, hash: Bytes?, count: UInt64, base: UInt64) {
        self.symbols = symbols; self.strings = strings; self.hash = hash; self.count = count; self.base = base
    }

    /// The NUL-terminated name at `offset` in the string table.
    func name(at offset: UInt64) throws(LoadError) -> UnsafeRawBufferPointer {
        guard offset < UInt64(strings.base.count) else { throw .badStringIndex }
        var end = Int(offset)
        while end < strings.base.count, strings.base[end] != 0 { end += 1 }
        guard end < strings.base.count else { throw .badStringIndex }
        return UnsafeRawBufferPointer(rebasing: strings.base[Int(offset)..<end])
    }

    struct Symbol {
        var nameOffset: UInt64
        var info: UInt8
        var section: UInt16
        var value: UInt64
        var binding: UInt8 { info >> 4 }
        var type: UInt8 { info & 15 }
        /// A definition others may bind to: defined (not SHN_UNDEF), global or weak, not TLS.
        var isExportedDefinition: Bool { section != 0 && (binding == 1 || binding == 2) && type != 6 }
        var isWeak: Bool { binding == 2 }
    }

    func symbol(_ index: UInt64) throws(LoadError) -> Symbol {
        guard index < count else { throw .symbolIndexOutOfRange(index: index) }
        let o = index * 24
        return Symbol(nameOffset: UInt64(symbols.u32(o)), info: symbols.u8(o + 4), section: symbols.u16(o + 6), value: symbols.u64(o + 8))
    }

    /// The address a symbol's definition has at run time (SHN_ABS values are not moved).
    func address(of s: Symbol) -> UInt64 { s.section == 0xfff1 ? s.value : base &+ s.value }

    /// The SysV ELF hash (gABI §5 "Hash Table").
    static func elfHash(_ name: UnsafeRawBufferPointer) -> UInt32 {
        var h: UInt32 = 0
        for c in name {
            h = (h << 4) &+ UInt32(c)
            let g = h & 0xf000_0000
            if g != 0 { h ^= g >> 24 }
            h &= ~g
        }
        return h
    }

    /// The run-time address of the exported definition named `name`, or nil. Uses the hash table
    /// when there is one (each chain step bounded by the table's size, so a looping chain ends),
    /// otherwise scans the table.
    public func lookup(_ name: UnsafeRawBufferPointer) -> UInt64? {
        func matches(_ index: UInt64) -> UInt64? {
            guard let s = try? symbol(index), s.isExportedDefinition, let n = try? self.name(at: s.nameOffset),
                  n.count == name.count, n.elementsEqual(name) else { return nil }
            return address(of: s)
        }
        if let hash {
            let nbucket = UInt64(hash.u32(0)), nchain = UInt64(hash.u32(4))
            guard nbucket > 0 else { return nil }
            var index = UInt64(hash.u32(8 + 4 * (UInt64(SymbolTable.elfHash(name)) % nbucket)))
            var steps: UInt64 = 0
            while index != 0, index < nchain, steps <= nchain {
                if let a = matches(index) { return a }
                index = UInt64(hash.u32(8 + 4 * nbucket + 4 * index))
                steps += 1
            }
            return nil
        }
        var index: UInt64 = 1
        while index < count {
            if let a = matches(index) { return a }
            index += 1
        }
        return nil
    }
}

/// Dynamic entries by tag (a linear search: a dozen entries; a Dictionary would pull in libm's ceil).
struct Entries {
    let entries: [(tag: UInt64, value: UInt64)]
    subscript(_ tag: UInt64) -> UInt64? {
        for e in entries where e.tag == tag { return e.value }
        return nil
    }
}

/// The parts of a shared object's dynamic section the loader uses.
public struct DynamicInfo {
    public var symbols: SymbolTable
    /// (address, size) of the RELA table and of the PLT's (DT_JMPREL, DT_PLTREL = DT_RELA).
    var relocations: (UInt64, UInt64)
    var pltRelocations: (UInt64, UInt64)
    var initFunction: UInt64?
    var initArray: (UInt64, UInt64)
    var finiFunction: UInt64?
    var finiArray: (UInt64, UInt64)
    let image: Bytes
    let layout: LoadLayout

    // gABI §5 "Dynamic Section" tags
    static let dtNull: UInt64 = 0, dtNeeded: UInt64 = 1, dtPltRelSize: UInt64 = 2, dtHash: UInt64 = 4,
               dtStrtab: UInt64 = 5, dtSymtab: UInt64 = 6, dtRela: UInt64 = 7, dtRelaSize: UInt64 = 8,
               dtRelaEnt: UInt64 = 9, dtStrSize: UInt64 = 10, dtSymEnt: UInt64 = 11, dtInit: UInt64 = 12,
               dtFini: UInt64 = 13, dtRel: UInt64 = 17, dtPltRel: UInt64 = 20, dtJmpRel: UInt64 = 23,
               dtInitArray: UInt64 = 25, dtFiniArray: UInt64 = 26, dtInitArraySize: UInt64 = 27,
               dtFiniArraySize: UInt64 = 28, dtRelr: UInt64 = 36, dtGnuHash: UInt64 = 0x6fff_fef5

    /// Reads the dynamic section of `image` (the object's segments copied to their addresses, the
    /// image's first byte at the load base `base`).
    public init(image: UnsafeRawBufferPointer, layout: LoadLayout, base: UInt64) throws(LoadError) {
        let b = Bytes(base: image)
        guard UInt64(image.count) >= layout.span else { throw .dynamicOutOfImage }
        // The entries up to DT_NULL; for each tag the first entry counts (only DT_NEEDED may repeat).
        var entries: [(tag: UInt64, value: UInt64)] = []
        var o = layout.dynamicAddress
        let end = layout.dynamicAddress + layout.dynamicSize
        while o + 16 <= end {
            let tag = b.u64(o), value = b.u64(o + 8)
            if tag == DynamicInfo.dtNull { break }
            entries.append((tag, value))
            o += 16
        }
        let values = Entries(entries: entries)
        let needed = values[DynamicInfo.dtNeeded]
        // Each table must lie inside the image.
        func table(_ addressTag: UInt64, _ sizeTag: UInt64?, _ name: String, size: UInt64? = nil) throws(LoadError) -> (UInt64, UInt64)? {
            guard let address = values[addressTag] else { return nil }
            let length: UInt64
            if let size { length = size } else if let sizeTag { length = values[sizeTag] ?? 0 } else { length = 0 }
            guard b.has(address, length), address + length <= layout.span else { throw .tableOutOfImage(name) }
            return (address, length)
        }
        guard let strtab = try table(DynamicInfo.dtStrtab, DynamicInfo.dtStrSize, "DT_STRTAB") else { throw .missingTable("DT_STRTAB") }
        let strings = Bytes(base: UnsafeRawBufferPointer(rebasing: image[Int(strtab.0)..<Int(strtab.0 + strtab.1)]))
        if let needed {
            let probe = SymbolTable(symbols: Bytes(base: UnsafeRawBufferPointer(start: nil, count: 0)), strings: strings, hash: nil, count: 0, base: base)
            let name = try probe.name(at: needed)
            throw .neededLibrary(String(decoding: name, as: UTF8.self))
        }
        if values[DynamicInfo.dtRel] != nil { throw .unsupportedRelocation("DT_REL (x86-64 uses DT_RELA)") }
        if values[DynamicInfo.dtRelr] != nil { throw .unsupportedRelocation("DT_RELR") }
        if let entry = values[DynamicInfo.dtSymEnt], entry != 24 { throw .badEntrySize("DT_SYMENT") }
        if let entry = values[DynamicInfo.dtRelaEnt], entry != 24 { throw .badEntrySize("DT_RELAENT") }
        if let kind = values[DynamicInfo.dtPltRel], kind != DynamicInfo.dtRela { throw .unsupportedRelocation("DT_PLTREL other than DT_RELA") }
        guard let symtabAddress = values[DynamicInfo.dtSymtab] else { throw .missingTable("DT_SYMTAB") }

        // The number of symbols: DT_HASH's nchain, or counted from DT_GNU_HASH's chains.
        var hash: Bytes? = nil
        let count: UInt64
        if let h = try table(DynamicInfo.dtHash, nil, "DT_HASH", size: 8) {
            let nbucket = UInt64(b.u32(h.0)), nchain = UInt64(b.u32(h.0 + 4))
            guard let full = try table(DynamicInfo.dtHash, nil, "DT_HASH", size: 8 + 4 * (nbucket + nchain)) else { throw .missingTable("DT_HASH") }
            hash = Bytes(base: UnsafeRawBufferPointer(rebasing: image[Int(full.0)..<Int(full.0 + full.1)]))
            count = nchain
        } else if let g = try table(DynamicInfo.dtGnuHash, nil, "DT_GNU_HASH", size: 16) {
            count = try DynamicInfo.gnuHashSymbolCount(b, at: g.0, span: layout.span)
        } else {
            throw .missingTable("DT_HASH or DT_GNU_HASH")
        }
        guard count <= layout.span / 24, b.has(symtabAddress, count * 24), symtabAddress + count * 24 <= layout.span else {
            throw .tableOutOfImage("DT_SYMTAB")
        }
        let symbols = Bytes(base: UnsafeRawBufferPointer(rebasing: image[Int(symtabAddress)..<Int(symtabAddress + count * 24)]))
        self.symbols = SymbolTable(symbols: symbols, strings: strings, hash: hash, count: count, base: base)
        relocations = try table(DynamicInfo.dtRela, DynamicInfo.dtRelaSize, "DT_RELA") ?? (0, 0)
        pltRelocations = try table(DynamicInfo.dtJmpRel, DynamicInfo.dtPltRelSize, "DT_JMPREL") ?? (0, 0)
        initArray = try table(DynamicInfo.dtInitArray, DynamicInfo.dtInitArraySize, "DT_INIT_ARRAY") ?? (0, 0)
        finiArray = try table(DynamicInfo.dtFiniArray, DynamicInfo.dtFiniArraySize, "DT_FINI_ARRAY") ?? (0, 0)
        initFunction = values[DynamicInfo.dtInit]
        finiFunction = values[DynamicInfo.dtFini]
        self.image = b
        self.layout = layout
    }

    /// DT_GNU_HASH (the GNU extension; no gABI text — binutils' and glibc's layout): nbuckets,
    /// symoffset, bloom size, shift, the bloom words, the buckets, then one chain word per symbol
    /// from symoffset, the last of each chain with bit 0 set. The count is one past the last
    /// symbol of the longest-reaching chain.
    static func gnuHashSymbolCount(_ b: Bytes, at address: UInt64, span: UInt64) throws(LoadError) -> UInt64 {
        let nbuckets = UInt64(b.u32(address)), symoffset = UInt64(b.u32(address + 4)), bloomSize = UInt64(b.u32(address + 8))
        let buckets = address + 16 + 8 * bloomSize
        guard bloomSize <= span / 8, nbuckets <= span / 4, b.has(buckets, 4 * nbuckets) else { throw .tableOutOfImage("DT_GNU_HASH") }
        let chains = buckets + 4 * nbuckets
        var last: UInt64 = 0
        for i in 0..<nbuckets { last = max(last, UInt64(b.u32(buckets + 4 * i))) }
        guard last >= symoffset else { return symoffset }
        while true {
            let at = chains + 4 * (last - symoffset)
            guard b.has(at, 4), last < span / 24 else { throw .tableOutOfImage("DT_GNU_HASH") }
            if b.u32(at) & 1 != 0 { return last + 1 }
            last += 1
        }
    }
}
