// sh — the shell: the POSIX shell of Guest/Libraries/Shell (the library the host's swiftvm-sh
// runs against dash) over the guest's Posix backend (Guest/Libraries/Posix). Script.swift reads
// the command line:
//   sh -c STRING [NAME ARGS…]   sh FILE [ARGS…]   sh -s / sh -   (a script on standard input)
//   sh, sh -i                   the interactive shell (Shell/Interactive.swift: line editor,
//                               history, completion, PS1/PS2, $HOME/.profile and $ENV)
import UserLib

Script.run(System.arguments.first ?? "sh", Array(System.arguments.dropFirst()))
