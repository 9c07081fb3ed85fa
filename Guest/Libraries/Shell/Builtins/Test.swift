// Test.swift — XCU test / [ : the POSIX argument-count rules for up to four arguments, then a
// recursive descent over ! -a -o ( ) for longer expressions (as dash's test does).
import Posix

struct TestSyntaxError: Error { var message: String }

extension Shell {
    /// test's operands, as a slice of the command's arguments (no copy per call: a loop's
    /// `[ $i -lt N ]` runs it on every iteration).
    func builtinTest(_ args: ArraySlice<String>) -> Int32 {
        do {
            return try testExpression(args) ? 0 : 1
        } catch {
            reportError("test: \(error.message)")
            return 2
        }
    }

    static let unaryTests: Set<String> = ["-b", "-c", "-d", "-e", "-f", "-g", "-h", "-L", "-n", "-p", "-r", "-S",
                                          "-s", "-t", "-u", "-w", "-x", "-z", "-k", "-O", "-G"]

    func testExpression(_ a: ArraySlice<String>) throws(TestSyntaxError) -> Bool {
        let first = a.startIndex
        switch a.count {
        case 0: return false
        case 1: return !a[first].isEmpty
        case 2:
            if a[first] == "!" { return a[first + 1].isEmpty }
            if Shell.unaryTests.contains(a[first]) { return try unaryTest(a[first], a[first + 1]) }
            throw TestSyntaxError(message: "\(a[first]): unexpected operator")
        case 3:
            if let op = TestBinaryOperator(a[first + 1]) { return try binaryTest(a[first], op, a[first + 2]) }
            if a[first] == "!" { return !(try testExpression(a.dropFirst())) }
            if a[first] == "(" && a[first + 2] == ")" { return !a[first + 1].isEmpty }
        case 4:
            if a[first] == "!" { return !(try testExpression(a.dropFirst())) }
            if a[first] == "(" && a[first + 3] == ")" { return try testExpression(a[(first + 1)...(first + 2)]) }
        default: break
        }
        var parser = TestParser(args: Array(a), shell: self)
        let v = try parser.orExpression()
        if parser.pos < a.count { throw TestSyntaxError(message: "\(parser.args[parser.pos]): unexpected operator") }
        return v
    }

    func unaryTest(_ op: String, _ operand: String) throws(TestSyntaxError) -> Bool {
        switch op {
        case "-n": return !operand.isEmpty
        case "-z": return operand.isEmpty
        case "-t":
            guard let fd = Int32(operand) else { throw TestSyntaxError(message: "Illegal number: \(operand)") }
            return Posix.isatty(fd)
        case "-h", "-L":
            guard let st = try? Posix.lstat(operand) else { return false }
            return S_ISLNK(st.mode)
        case "-r": return (try? Posix.access(operand, R_OK)) != nil
        case "-w": return (try? Posix.access(operand, W_OK)) != nil
        case "-x": return (try? Posix.access(operand, X_OK)) != nil
        default: break
        }
        guard let st = try? Posix.stat(operand) else { return false }
        switch op {
        case "-e": return true
        case "-f": return S_ISREG(st.mode)
        case "-d": return S_ISDIR(st.mode)
        case "-b": return S_ISBLK(st.mode)
        case "-c": return S_ISCHR(st.mode)
        case "-p": return S_ISFIFO(st.mode)
        case "-S": return S_ISSOCK(st.mode)
        case "-s": return st.size > 0
        case "-g": return st.mode & S_ISGID != 0
        case "-u": return st.mode & S_ISUID != 0
        case "-k": return st.mode & S_ISVTX != 0
        case "-O": return st.uid == Posix.geteuid()
        case "-G": return st.gid == Posix.getgid()
        default: return false
        }
    }

    /// An integer operand: blanks, a sign, digits (as dash's test; read in place, no copy).
    func testInteger(_ s: String) throws(TestSyntaxError) -> Int {
        var b = s.utf8[...]
        while b.first == 32 || b.first == 9 { b = b.dropFirst() }
        var neg = false
        if b.first == 45 || b.first == 43 { neg = b.first == 45; b = b.dropFirst() }
        guard !b.isEmpty, b.allSatisfy(isDigit) else { throw TestSyntaxError(message: "Illegal number: \(s)") }
        var v = 0
        for c in b { v = v &* 10 &+ Int(c) - 48 }
        return neg ? -v : v
    }

    func binaryTest(_ l: String, _ op: TestBinaryOperator, _ r: String) throws(TestSyntaxError) -> Bool {
        switch op {
        case .equal: return l == r
        case .notEqual: return l != r
        case .before: return l.utf8.lexicographicallyPrecedes(r.utf8)
        case .after: return r.utf8.lexicographicallyPrecedes(l.utf8)
        case .eq: return try testInteger(l) == testInteger(r)
        case .ne: return try testInteger(l) != testInteger(r)
        case .lt: return try testInteger(l) < testInteger(r)
        case .le: return try testInteger(l) <= testInteger(r)
        case .gt: return try testInteger(l) > testInteger(r)
        case .ge: return try testInteger(l) >= testInteger(r)
        case .newer, .older:
            let a = try? Posix.stat(l), b = try? Posix.stat(r)
            func newer(_ x: FileStatus?, _ y: FileStatus?) -> Bool {
                guard let x else { return false }
                guard let y else { return true }
                return (x.mtimeSeconds, x.mtimeNanoseconds) > (y.mtimeSeconds, y.mtimeNanoseconds)
            }
            return op == .newer ? newer(a, b) : newer(b, a)
        case .sameFile:
            guard let a = try? Posix.stat(l), let b = try? Posix.stat(r) else { return false }
            return a.dev == b.dev && a.ino == b.ino
        }
    }
}

/// test's binary operators: = != < > -eq -ne -lt -le -gt -ge -nt -ot -ef.
enum TestBinaryOperator {
    case equal, notEqual, before, after, eq, ne, lt, le, gt, ge, newer, older, sameFile

    /// Recognizes an operator by its bytes, without hashing or comparing strings: a loop's
    /// `[ $i -lt N ]` asks on every iteration.
    init?(_ s: String) {
        var bytes = s.utf8.makeIterator()
        guard let b0 = bytes.next() else { return nil }
        guard let b1 = bytes.next() else {
            switch b0 {
            case UInt8(ascii: "="): self = .equal
            case UInt8(ascii: "<"): self = .before
            case UInt8(ascii: ">"): self = .after
            default: return nil
            }
            return
        }
        guard let b2 = bytes.next() else {
            guard b0 == UInt8(ascii: "!") && b1 == UInt8(ascii: "=") else { return nil }
            self = .notEqual
            return
        }
        guard bytes.next() == nil, b0 == UInt8(ascii: "-") else { return nil }
        switch (b1, b2) {
        case (UInt8(ascii: "e"), UInt8(ascii: "q")): self = .eq
        case (UInt8(ascii: "n"), UInt8(ascii: "e")): self = .ne
        case (UInt8(ascii: "l"), UInt8(ascii: "t")): self = .lt
        case (UInt8(ascii: "l"), UInt8(ascii: "e")): self = .le
        case (UInt8(ascii: "g"), UInt8(ascii: "t")): self = .gt
        case (UInt8(ascii: "g"), UInt8(ascii: "e")): self = .ge
        case (UInt8(ascii: "n"), UInt8(ascii: "t")): self = .newer
        case (UInt8(ascii: "o"), UInt8(ascii: "t")): self = .older
        case (UInt8(ascii: "e"), UInt8(ascii: "f")): self = .sameFile
        default: return nil
        }
    }
}

/// test's grammar beyond four arguments: or := and (-o and)*; and := not (-a not)*;
/// not := ! not | primary; primary := ( or ) | unary-op arg | arg binary-op arg | arg.
struct TestParser {
    let args: [String]
    var pos = 0
    let shell: Shell

    init(args: [String], shell: Shell) { self.args = args; self.shell = shell }

    mutating func orExpression() throws(TestSyntaxError) -> Bool {
        var v = try andExpression()
        while pos < args.count && args[pos] == "-o" { pos += 1; let r = try andExpression(); v = v || r }
        return v
    }
    mutating func andExpression() throws(TestSyntaxError) -> Bool {
        var v = try notExpression()
        while pos < args.count && args[pos] == "-a" { pos += 1; let r = try notExpression(); v = v && r }
        return v
    }
    mutating func notExpression() throws(TestSyntaxError) -> Bool {
        if pos < args.count && args[pos] == "!" && pos + 1 < args.count { pos += 1; return !(try notExpression()) }
        return try primary()
    }
    mutating func primary() throws(TestSyntaxError) -> Bool {
        guard pos < args.count else { throw TestSyntaxError(message: "argument expected") }
        let a = args[pos]
        if a == "(" && pos + 1 < args.count {
            pos += 1
            let v = try orExpression()
            guard pos < args.count && args[pos] == ")" else { throw TestSyntaxError(message: "closing paren expected") }
            pos += 1
            return v
        }
        if pos + 2 < args.count, let op = TestBinaryOperator(args[pos + 1]) {
            pos += 3
            return try shell.binaryTest(a, op, args[pos - 1])
        }
        if Shell.unaryTests.contains(a) && pos + 1 < args.count {
            pos += 2
            return try shell.unaryTest(a, args[pos - 1])
        }
        pos += 1
        return !a.isEmpty
    }
}
