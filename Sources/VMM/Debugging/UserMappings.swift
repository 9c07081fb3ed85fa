// UserMappings.swift — the pages a process has mapped below SV_USER_END, found by walking its 4-level
// page tables in guest RAM (Intel SDM Vol. 3A §4.5): what a core file holds. The tables come from
// the guest, so the walk is bounded: at most `entryBudget` entries are examined (a table that maps
// one frame at every address cannot keep the VMM walking), and every table must lie in RAM.

struct UserMapping: Equatable {
    var virtualAddress: UInt64
    var physicalAddress: UInt64
    var size: UInt64
    var writable: Bool
    var executable: Bool
}

enum UserMappings {
    static let present: UInt64 = 1 << 0, writable: UInt64 = 1 << 1, user: UInt64 = 1 << 2
    static let largePage: UInt64 = 1 << 7, noExecute: UInt64 = 1 << 63
    static let addressMask: UInt64 = 0x000f_ffff_ffff_f000

    /// Every present user page below `userEnd` (4 KiB, 2 MiB or 1 GiB), ascending, with the
    /// permissions of the whole walk (writable and user only if every level says so, executable
    /// unless any level sets NX). `readEntry` reads one 8-byte entry (nil: outside RAM).
    static func walk(root: UInt64, userEnd: UInt64, entryBudget: Int = 1 << 22,
                     readEntry: (UInt64) -> UInt64?) -> [UserMapping] {
        var result: [UserMapping] = []
        var budget = entryBudget
        func visit(table: UInt64, level: Int, base: UInt64, writableSoFar: Bool, executableSoFar: Bool) {
            let shift = UInt64(12 + 9 * (level - 1))
            for index in 0..<UInt64(512) {
                let va = base + (index << shift)
                if va >= userEnd || budget <= 0 { return }
                budget -= 1
                guard let entry = readEntry(table + index * 8), entry & present != 0, entry & user != 0 else { continue }
                let w = writableSoFar && entry & writable != 0
                let x = executableSoFar && entry & noExecute == 0
                if level == 1 || ((level == 2 || level == 3) && entry & largePage != 0) {
                    let size = UInt64(1) << shift
                    result.append(UserMapping(virtualAddress: va, physicalAddress: entry & addressMask & ~(size - 1),
                                              size: size, writable: w, executable: x))
                } else {
                    visit(table: entry & addressMask, level: level - 1, base: va, writableSoFar: w, executableSoFar: x)
                }
            }
        }
        visit(table: root & addressMask, level: 4, base: 0, writableSoFar: true, executableSoFar: true)
        return result
    }
}
