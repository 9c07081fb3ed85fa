// test — /bin/test and /bin/[. The one test implementation is the shell's builtin
// (Guest/Libraries/Shell/Builtins/Test.swift: the POSIX argument-count rules, then ! -a -o ( ));
// this program runs it on its arguments. Called as "[" (argv[0]), the last argument must be "]".
import Posix
import Shell
import UserLib

func main() -> Never {
    let argv = System.arguments
    let name = argv.first.map { String($0.split(separator: "/").last ?? "") } ?? "test"
    let bracket = name == "["
    let shell = Shell(arg0: bracket ? "[" : "test", arguments: Array(argv.dropFirst()))
    Posix.exit(shell.run(source: Array((bracket ? "[ \"$@\"" : "test \"$@\"").utf8)))
}
main()
