// LsFormat.swift — how ls draws one listing, as GNU coreutils 9.1's ls.c does: the long line
// (-l: inode, blocks, mode, links, owner, group, size or device numbers, date, name -> target,
// each column aligned over the listing), one name per line, columns down (-C) or across (-x)
// fitted to the line width (GNU's calculate_columns: the most columns whose widths fit, every
// column but the last two cells wider than its longest name, filled with tabs at 8-column stops
// unless colors are on), names separated by commas (-m), the indicators of -F/-p, the quoting
// of -q/-b, and colors (LsColors.swift). Dates: "Mon DD HH:MM" within the last six months,
// "Mon DD  YYYY" otherwise, in UTC (the guest has no time zone database; the host's tests run
// GNU with TZ=UTC).

struct LsDrawing {
    let settings: Ls.Settings
    let colors: LsColors?
    let now: Int64
    /// Whether the targets of symbolic links were looked at (GNU stats them only for -F,
    /// --file-type and the colors that need them); otherwise a link's target is of no kind.
    let linkTargetsKnown: Bool
    /// The first color written is preceded by a reset (GNU put_indicator's prep_non_filename_text).
    var usedColor = false

    init(settings: Ls.Settings, colors: LsColors?, now: Int64) {
        self.settings = settings
        self.colors = colors
        self.now = now
        linkTargetsKnown = settings.indicators == .fileType || settings.indicators == .classify
            || (colors?.needsLinkTargets(long: settings.format == .long) ?? false)
    }

    /// Draws `entries`; `total` adds the "total N" line (a directory's listing with -l or -s).
    /// The columns are as wide as `entries` and `alsoMeasured` need: GNU measures the operands
    /// before it takes the directories out of the file group.
    mutating func list<IO: SystemIO>(_ entries: [Ls.Entry], alsoMeasured: [Ls.Entry] = [], total: Bool, _ console: inout Console<IO>) {
        if total {
            let blocks = entries.reduce(UInt64(0)) { $0 &+ ($1.status?.blocks ?? 0) }
            console.put("total " + blockText(blocks) + "\n")
        }
        switch settings.format {
        case .long: long(entries, alsoMeasured, &console)
        case .single:
            let w = widths(entries + alsoMeasured)
            for e in entries { frills(e, w, &console); console.put(10) }
        case .columns, .across:
            // no width limit (-w 0): names separated by two spaces on one line (GNU print_with_separator)
            if settings.width == 0 { separated(entries, by: 32, &console) } else { grid(entries, &console) }
        case .commas: separated(entries, by: 44, &console)
        }
    }

    // MARK: names

    /// A name as the quoting style shows it (bytes; the C locale: every byte one column).
    func quotedName(_ name: String) -> [UInt8] {
        switch settings.quoting {
        case .literal: return Array(name.utf8)
        case .hideControl: return name.utf8.map { $0 < 32 || $0 >= 127 ? UInt8(ascii: "?") : $0 }
        case .escape:
            var out: [UInt8] = []
            for b in name.utf8 {
                switch b {
                case 7: out += Array("\\a".utf8)
                case 8: out += Array("\\b".utf8)
                case 9: out += Array("\\t".utf8)
                case 10: out += Array("\\n".utf8)
                case 11: out += Array("\\v".utf8)
                case 12: out += Array("\\f".utf8)
                case 13: out += Array("\\r".utf8)
                case 32: out += Array("\\ ".utf8)
                case 92: out += Array("\\\\".utf8)
                case 0..<32, 127...:
                    out += [92, 48 + (b >> 6), 48 + ((b >> 3) & 7), 48 + (b & 7)]
                default: out.append(b)
                }
            }
            return out
        }
    }

    /// -F's, -p's and --file-type's mark for a file of `mode` (GNU get_type_indicator).
    func indicator(_ mode: UInt32?) -> UInt8? {
        guard let mode, settings.indicators != .none else { return nil }
        let type = mode & FullStatus.typeMask
        if type == FullStatus.regular {
            return settings.indicators == .classify && mode & 0o111 != 0 ? UInt8(ascii: "*") : nil
        }
        if type == FullStatus.directory { return UInt8(ascii: "/") }
        if settings.indicators == .slash { return nil }
        switch type {
        case FullStatus.symlink: return UInt8(ascii: "@")
        case FullStatus.fifo: return UInt8(ascii: "|")
        case FullStatus.socket: return UInt8(ascii: "=")
        default: return nil
        }
    }

    /// The name (or, with `target`, the link's target), colored when colors are on.
    mutating func putName<IO: ToolIO>(_ e: Ls.Entry, target: Bool, _ console: inout Console<IO>) {
        let text = quotedName(target ? (e.target ?? "") : e.name)
        guard let colors, let sequence = colors.sequence(for: e, target: target, linkTargetsKnown: linkTargetsKnown) else {
            console.put(text)
            return
        }
        if !usedColor { usedColor = true; console.put(colors.reset) }
        console.put(colors.left + sequence + colors.right)
        console.put(text)
        console.put(colors.reset)
    }

    // MARK: one per line, columns, commas

    struct Widths { var inode = 0, blocks = 0 }

    func widths(_ entries: [Ls.Entry]) -> Widths {
        var w = Widths()
        for e in entries {
            if settings.inode { w.inode = max(w.inode, inodeText(e).utf8.count) }
            if settings.blocks { w.blocks = max(w.blocks, blockText(e.status?.blocks).utf8.count) }
        }
        return w
    }

    func inodeText(_ e: Ls.Entry) -> String { e.status.map { String($0.inode) } ?? "?" }

    /// 512-byte blocks as ls shows them: 1 KiB units rounded up, or GNU's human form.
    func blockText(_ blocks: UInt64?) -> String {
        guard let blocks else { return "?" }
        return settings.human ? Du.human(blocks &* 512) : String((blocks &+ 1) / 2)
    }

    /// The width of what `frills` prints for `e`.
    func frillsWidth(_ e: Ls.Entry, _ w: Widths) -> Int {
        // the C locale's display width: a control or non-ASCII byte takes no column (mbsnwidth)
        var n = quotedName(e.name).reduce(0) { $0 + ($1 >= 32 && $1 < 127 ? 1 : 0) }
        if settings.inode { n += w.inode + 1 }
        if settings.blocks { n += w.blocks + 1 }
        if indicator(e.status?.mode) != nil { n += 1 }
        return n
    }

    /// Inode, blocks, name and mark (GNU print_file_name_and_frills).
    mutating func frills<IO: ToolIO>(_ e: Ls.Entry, _ w: Widths, _ console: inout Console<IO>) {
        if settings.inode { console.put(padded(inodeText(e), w.inode) + " ") }
        if settings.blocks { console.put(padded(blockText(e.status?.blocks), w.blocks) + " ") }
        putName(e, target: false, &console)
        if let mark = indicator(e.status?.mode) { console.put(mark) }
    }

    /// GNU's indent: tabs to 8-column stops where one fits, then spaces.
    func indent<IO: ToolIO>(from: Int, to: Int, _ console: inout Console<IO>) {
        var from = from
        // no tabs among colors (GNU: some terminals cannot mix them)
        let tabs = !(colors?.enabled ?? false)
        while from < to {
            if tabs && to / 8 > (from + 1) / 8 {
                console.put(9)
                from += 8 - from % 8
            } else {
                console.put(32)
                from += 1
            }
        }
    }

    /// -C (down the columns) and -x (across): the most columns that fit the line.
    mutating func grid<IO: ToolIO>(_ entries: [Ls.Entry], _ console: inout Console<IO>) {
        guard !entries.isEmpty else { return }
        let w = widths(entries)
        let lengths = entries.map { frillsWidth($0, w) }
        let down = settings.format == .columns
        let n = entries.count
        let lineLength = settings.width
        let maxIndex = lineLength / 3 + (lineLength % 3 != 0 ? 1 : 0)
        let maxColumns = max(1, min(maxIndex, n))
        // GNU calculate_columns: for each candidate count, the columns' widths as names are added
        var valid = [Bool](repeating: true, count: maxColumns)
        var lineLengths = (0..<maxColumns).map { ($0 + 1) * 3 }
        var columnWidths = (0..<maxColumns).map { [Int](repeating: 3, count: $0 + 1) }
        for (index, length) in lengths.enumerated() {
            for i in 0..<maxColumns where valid[i] {
                let column = down ? index / ((n + i) / (i + 1)) : index % (i + 1)
                let real = length + (column == i ? 0 : 2)
                if columnWidths[i][column] < real {
                    lineLengths[i] += real - columnWidths[i][column]
                    columnWidths[i][column] = real
                    valid[i] = lineLengths[i] < lineLength
                }
            }
        }
        var columns = maxColumns
        while columns > 1 && !valid[columns - 1] { columns -= 1 }
        let layout = columnWidths[columns - 1]
        if down {
            let rows = n / columns + (n % columns != 0 ? 1 : 0)
            for row in 0..<rows {
                var column = 0, index = row, position = 0
                while true {
                    frills(entries[index], w, &console)
                    let width = layout[column]
                    column += 1
                    index += rows
                    if index >= n { break }
                    indent(from: position + lengths[index - rows], to: position + width, &console)
                    position += width
                }
                console.put(10)
            }
        } else {
            var position = 0
            frills(entries[0], w, &console)
            for index in 1..<n {
                let column = index % columns
                if column == 0 {
                    console.put(10)
                    position = 0
                } else {
                    let width = layout[column - 1]
                    indent(from: position + lengths[index - 1], to: position + width, &console)
                    position += width
                }
                frills(entries[index], w, &console)
            }
            console.put(10)
        }
    }

    /// -m: "a, b, c", a line broken before a name that would reach the width (none with -w 0).
    mutating func separated<IO: ToolIO>(_ entries: [Ls.Entry], by separator: UInt8, _ console: inout Console<IO>) {
        guard !entries.isEmpty else { return }
        var position = 0
        for (index, e) in entries.enumerated() {
            var w = Widths()
            if settings.inode { w.inode = inodeText(e).utf8.count }
            if settings.blocks { w.blocks = blockText(e.status?.blocks).utf8.count }
            let length = frillsWidth(e, w)
            if index > 0 {
                console.put(separator)
                if settings.width == 0 || position + length + 2 < settings.width {
                    console.put(32)
                    position += 2
                } else {
                    console.put(10)
                    position = 0
                }
            }
            frills(e, w, &console)
            position += length
        }
        console.put(10)
    }

    // MARK: long

    /// One long line's columns, before they are aligned.
    struct Row { var inode = "", blocks = "", mode = "", links = "", owner = "", group = "", size = "", major = "", minor = "", date = "" }

    func sizeText(_ s: FullStatus?) -> String {
        guard let s else { return "?" }
        return settings.human ? Du.human(s.size) : String(s.size)
    }

    func isDevice(_ s: FullStatus?) -> Bool {
        guard let s else { return false }
        return s.type == FullStatus.character || s.type == FullStatus.block
    }

    /// GNU's default time style: recent files (the last six months, not in the future) with the
    /// time of day, the others with the year; --full-time: full-iso.
    func dateText(_ t: Timestamp) -> String {
        if settings.fullTime {
            return String(decoding: DateTool.format(Array("%Y-%m-%d %H:%M:%S.%N +0000".utf8), seconds: t.seconds, nanoseconds: t.nanoseconds), as: UTF8.self)
        }
        // GNU: half of a Gregorian year of 365.2425 days
        let recent = t.seconds > now - 31_556_952 / 2 && t.seconds <= now
        let format = recent ? "%b %e %H:%M" : "%b %e  %Y"
        return String(decoding: DateTool.format(Array(format.utf8), seconds: t.seconds, nanoseconds: t.nanoseconds), as: UTF8.self)
    }

    /// An owner or group column: the name, or the number when there is none or with -n.
    func idText<IO: SystemIO>(_ id: UInt32?, user: Bool, _ names: inout [(id: UInt32, name: String)], _ io: IO) -> String {
        guard let id else { return "?" }
        if settings.numeric { return String(id) }
        if let known = names.first(where: { $0.id == id }) { return known.name }
        let name = (user ? io.userName(id) : io.groupName(id)) ?? String(id)
        names.append((id, name))
        return name
    }

    mutating func long<IO: SystemIO>(_ entries: [Ls.Entry], _ alsoMeasured: [Ls.Entry], _ console: inout Console<IO>) {
        let io = console.io
        var rows: [Row] = []
        var inodeWidth = 0, blocksWidth = 0, linksWidth = 0, ownerWidth = 0, groupWidth = 0, sizeWidth = 0, majorWidth = 0, minorWidth = 0
        var users: [(id: UInt32, name: String)] = [], groups: [(id: UInt32, name: String)] = []   // each id looked up once
        for e in entries + alsoMeasured {
            var r = Row()
            let s = e.status
            if settings.inode { r.inode = inodeText(e); inodeWidth = max(inodeWidth, r.inode.utf8.count) }
            if settings.blocks { r.blocks = blockText(s?.blocks); blocksWidth = max(blocksWidth, r.blocks.utf8.count) }
            r.mode = s.map { Stat.modeString($0.mode) } ?? String(Stat.modeString(e.unknownType ?? 0).prefix(1)) + "?????????"
            r.links = s.map { String($0.links) } ?? "?"
            linksWidth = max(linksWidth, r.links.utf8.count)
            if settings.owner { r.owner = idText(s?.uid, user: true, &users, io); ownerWidth = max(ownerWidth, r.owner.utf8.count) }
            if settings.group { r.group = idText(s?.gid, user: false, &groups, io); groupWidth = max(groupWidth, r.group.utf8.count) }
            if let s, isDevice(s) {
                r.major = String(s.specialMajor); r.minor = String(s.specialMinor)
                majorWidth = max(majorWidth, r.major.utf8.count); minorWidth = max(minorWidth, r.minor.utf8.count)
            } else {
                r.size = sizeText(s)
                sizeWidth = max(sizeWidth, r.size.utf8.count)
            }
            // an unknown date is "?" right-aligned to a date's width
            r.date = s.map { dateText(Ls.timestamp($0, settings.time)) } ?? padded("?", settings.fullTime ? 35 : 12)
            rows.append(r)
        }
        if majorWidth > 0 { sizeWidth = max(sizeWidth, majorWidth + 2 + minorWidth) }
        for (e, r) in zip(entries, rows) {
            var line = ""
            if settings.inode { line += padded(r.inode, inodeWidth) + " " }
            if settings.blocks { line += padded(r.blocks, blocksWidth) + " " }
            line += r.mode + " " + padded(r.links, linksWidth) + " "
            // names left-aligned, numbers under -n right-aligned (GNU format_user_or_group)
            if settings.owner { line += (settings.numeric ? padded(r.owner, ownerWidth) : leftAligned(r.owner, ownerWidth)) + " " }
            if settings.group { line += (settings.numeric ? padded(r.group, groupWidth) : leftAligned(r.group, groupWidth)) + " " }
            if isDevice(e.status) {
                line += String(repeating: " ", count: max(0, sizeWidth - (majorWidth + 2 + minorWidth)))
                line += padded(r.major, majorWidth) + ", " + padded(r.minor, minorWidth) + " "
            } else {
                line += padded(r.size, sizeWidth) + " "
            }
            line += r.date + " "
            console.put(line)
            putName(e, target: false, &console)
            if e.status?.type == FullStatus.symlink {
                if e.target != nil {
                    console.put(" -> ")
                    putName(e, target: true, &console)
                    if let mark = indicator(e.targetStatus?.mode) { console.put(mark) }
                }
            } else if let mark = indicator(e.status?.mode) {
                console.put(mark)
            }
            console.put(10)
        }
    }

    func padded(_ text: String, _ width: Int) -> String {
        let n = text.utf8.count
        return n >= width ? text : String(repeating: " ", count: width - n) + text
    }

    func leftAligned(_ text: String, _ width: Int) -> String {
        let n = text.utf8.count
        return n >= width ? text : text + String(repeating: " ", count: width - n)
    }
}
