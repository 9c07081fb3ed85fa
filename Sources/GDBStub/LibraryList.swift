// LibraryList.swift — the `qXfer:libraries:read` document (gdb manual "Library List Format"):
//   <library-list><library name="PATH"><segment address="0x…"/></library>…</library-list>
// gdb loads each file's symbols, relocated so the file's first loadable segment lands at `address`.

enum LibraryList {
    static func document(_ libraries: [LoadedLibrary]) -> String {
        var xml = "<library-list>"
        for library in libraries {
            xml += "<library name=\"\(escape(library.path))\"><segment address=\"0x\(String(library.segmentAddress, radix: 16))\"/></library>"
        }
        return xml + "</library-list>"
    }

    /// XML attribute text (XML 1.0 §2.4): the five special characters as entities; control
    /// characters, which XML 1.0 cannot carry, as `?` (a path with them would not be found anyway).
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case _ where scalar.value < 0x20: out += "?"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
