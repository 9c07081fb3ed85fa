// Which.swift — which [-a] NAME… as Debian's which (debianutils) behaves: each NAME's first
// executable in PATH (every one with -a; an empty PATH element is "."), a NAME with a slash
// checked as it is; nothing printed for a name not found. Exit 0 when every name was found,
// 1 otherwise (or with no names), 2 for an unknown option.

public enum Which {
    public static func run<IO: SystemIO>(_ arguments: [String], _ io: IO) -> Int32 {
        var console = Console(io, program: "which")
        var all = false
        var names: [String] = []
        var optionsDone = false
        for argument in arguments {
            if !optionsDone && argument == "--" { optionsDone = true; continue }
            if !optionsDone && argument.utf8.count > 1 && argument.utf8.first == UInt8(ascii: "-") {
                for letter in argument.utf8.dropFirst() {
                    guard letter == UInt8(ascii: "a") else {
                        io.writeError(Array("Illegal option -\(String(decoding: [letter], as: UTF8.self))\n".utf8))
                        console.put("Usage: which [-a] args\n")
                        _ = console.finish()
                        return 2
                    }
                    all = true
                }
                continue
            }
            optionsDone = true
            names.append(argument)
        }
        let path = io.environment().last { $0.hasPrefix("PATH=") }.map { String($0.utf8.dropFirst(5))! } ?? "/bin:/usr/bin"
        let directories = path.split(separator: ":", omittingEmptySubsequences: false).map { $0.isEmpty ? "." : String($0) }
        var missing = names.isEmpty
        for name in names {
            var found = false
            if name.utf8.contains(UInt8(ascii: "/")) {
                if io.isExecutableFile(name) { console.put(name); console.put(10); found = true }
            } else if !name.isEmpty {
                for directory in directories {
                    let candidate = directory + "/" + name
                    if io.isExecutableFile(candidate) {
                        console.put(candidate); console.put(10)
                        found = true
                        if !all { break }
                    }
                }
            }
            if !found { missing = true }
        }
        let status = console.finish()
        return status != 0 ? status : (missing ? 1 : 0)
    }
}
