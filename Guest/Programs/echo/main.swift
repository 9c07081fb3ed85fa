// echo [-n] ARG… — prints its arguments separated by spaces (-n: no newline).
import UserLib

func echo(_ arguments: [String]) {
    var words = Array(arguments.dropFirst())
    var newline = true
    if words.first == "-n" { newline = false; words.removeFirst() }
    var line = ""
    for (i, w) in words.enumerated() { line += (i > 0 ? " " : "") + w }
    print(line, terminator: newline ? "\n" : "")
}

echo(System.arguments)
