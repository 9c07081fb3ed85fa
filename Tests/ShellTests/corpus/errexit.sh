#### set -e exits on failure
set -e; echo a; false; echo b
#### set -e ignores if condition
set -e; if false; then echo x; fi; echo survived
#### set -e ignores and-or left
set -e; false && echo x; echo survived
#### set -e or right side fails
set -e; false || false; echo never
#### set -e negation
set -e; ! true; echo survived
#### set -e while condition
set -e; while false; do :; done; echo survived
#### set -e in subshell
set -e; (false; echo inner); echo "outer $?"
#### set -e subshell failure exits
set -e; (exit 3); echo never
#### set -e pipeline last
set -e; false | true; echo survived; true | false; echo never
#### set -e function
set -e; f() { false; echo in-f; }; f; echo never
#### set -e function in condition
set -e; f() { false; echo in-f; }; if f; then echo yes; fi; echo survived
#### set -e compound and-or inside if body
set -e; if true; then false && true; fi; echo survived
#### set -e command substitution assignment
set -e; x=$(false); echo never
#### set -e command substitution in args
set -e; echo "x$(false)"; echo survived
#### set -e group
set -e; { false; echo never; }; echo never2
#### set -e until
set -e; until true; do :; done; echo ok
#### set -e with trap exit
set -e; trap 'echo trap ran' EXIT; false; echo never
#### set +e turns off
set -e; set +e; false; echo survived
#### set -e case
set -e; case x in x) false;; esac; echo never
#### set -e for loop body
set -e; for i in 1 2; do echo $i; false; done; echo never
#### set -e and list last
set -e; true && false; echo never
#### set -e eval
set -e; eval false; echo never
#### set -x trace to stderr
set -x; echo traced
#### set -n no execution
set -n; echo never
#### set -- resets positional
set -- a b c; set --; echo $#
#### sh -e flag
echo 'false; echo never' > e.sh; sh -e e.sh; echo $?
#### set -e eval in condition
set -e; if eval false; then echo t; else echo f; fi; echo ok
#### set -e dot in condition
set -e; echo "false; echo inner" > d.sh; if . ./d.sh; then echo t; fi; echo ok
#### set -e inherited by command substitution
set -e; x=$(false; echo after); echo "[$x]"
#### set -e function with and-or
set -e; f() { false && true; echo in-f; }; f; echo after
