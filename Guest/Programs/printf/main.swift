// printf — /bin/printf. The one printf implementation is the shell's builtin
// (Guest/Libraries/Shell/Builtins/Printf.swift, checked against dash); this program runs it on
// its arguments, so `printf` and `/bin/printf` (env, xargs, find -exec) format alike.
import Posix
import Shell
import UserLib

func main() -> Never {
    let shell = Shell(arg0: "printf", arguments: Array(System.arguments.dropFirst()))
    Posix.exit(shell.run(source: Array("printf \"$@\"".utf8)))
}
main()
