#### alias in script next line
alias greet='echo hi from alias'
greet there
#### alias not expanded same line
alias zz='echo zz'; zz 2>/dev/null; echo $?
#### alias recursive self
alias ls='ls -d'
ls sub
#### alias with semicolon
alias two='echo one; echo two'
two
#### unalias all
alias a='echo a'; unalias -a; alias; echo done
#### alias quoting output
alias q="echo 'it'\''s'"; alias q
#### pipeline into while with variable loss
x=0; echo a | while read l; do x=1; done; echo $x
#### pipeline many stages
echo 'b a c' | tr ' ' '\n' | sort | head -2 | tr '\n' ,; echo
#### long pipeline status
true | true | false; echo $?
#### subshell in pipeline
(echo 1; echo 2) | (read a; read b; echo $b$a)
#### command substitution with exit status
x=$(echo out; exit 5); echo "$x $?"
#### nested backquotes and dollar paren
echo $(echo `echo deep`)
#### command substitution in double quotes preserves newlines
x="$(printf 'a\nb')"; echo "$x"
#### command substitution with case inside
x=$(case a in a) echo matched;; esac); echo $x
#### command substitution with parens in case pattern
x=$(case a in (a) echo ok;; esac); echo $x
#### here doc inside command substitution
x=$(cat <<EOF
inside
EOF
); echo $x
#### assignment has no field splitting
x="a   b"; y=$x; echo "$y"
#### assignment no glob
x=*; echo "$x"
#### multiple assignments order
a=1 b=$a; echo $b
#### assignment to positional is error
1=x; echo $?
#### empty command with redirect
> empty.out; [ -f empty.out ] && echo made
#### variable with equals in value
x=a=b=c; echo $x
#### tilde not after equals colon
HOME=/h; x=a:~/b; echo $x
#### export with assignment
export E1=one E2; E2=two; sh -c 'echo $E1 $E2'
#### unset exported
export UX=1; unset UX; sh -c 'echo "[$UX]"'
#### readonly with value
readonly RV=fixed; echo $RV
#### set output quoting
weird="it's"; set | grep '^weird='
#### dollar star in string
set -- a b; echo "args: $*"
#### dollar at in string
set -- a b; echo "args: $@"
#### brace expansion not supported
echo {a,b}
#### arithmetic with variables unset nounset
set -u; echo $((unset_var + 1)) 2>/dev/null; echo st=$?
#### ifs affects read
IFS=: read a b <<EOF
x:y:z
EOF
echo "$a|$b"
#### word with only quotes
echo "" '' | od -c | head -1
#### quoted empty variable argument count
e=; set -- "$e" $e; echo $#
#### echo with backslash c
echo 'abc\cdef'; echo next
#### printf with %b backslash c
printf '%b%s\n' 'stop\c' more; echo next
#### case with escaped pattern chars
case '*' in \*) echo star;; esac; case 'a' in \*) echo star2;; *) echo other;; esac
#### case pattern from quoted var
pat='[ab]'; case a in "$pat") echo lit;; $pat) echo glob;; esac
#### case fallthrough not posix
case b in a|b) echo ab;; b) echo b;; esac
#### pwd -P
cd sub; pwd -P | sed 's|.*/work|W|'
#### cd with CDPATH
CDPATH=.:sub; cd deeper; pwd | sed 's|.*/work|W|'
#### for loop variable after loop
for v in a b c; do :; done; echo $v
#### while with break status
while true; do break; done; echo $?
#### nested functions define
outer() { inner() { echo inner; }; }; outer; inner
#### function name with dash via alias not
f_1() { echo ok; }; f_1
#### return in subshell
f() { (return 3); echo "sub $?"; }; f
#### exit in command substitution
x=$(exit 4); echo $?
#### trap on exit in subshell
(trap 'echo sub-exit' EXIT; echo in-sub); echo after
#### trap with multiple signals
trap 'echo got' USR1 USR2; kill -USR2 $$; echo done
#### trap exit runs once on exit
trap 'echo bye' EXIT; exit 3
#### trap dash dash
trap -- 'echo x' EXIT; trap -- - EXIT; echo ok
#### read ended by a trapped signal
# A trapped signal ends a waiting `read` (status 1, as dash) and its trap runs. The killer repeats
# the signal until the reader is done (the first may come before the read waits); uniq folds the
# trap's lines, and the reader ignores INT once its read is over.
echo 'trap "echo int" INT; echo $$ > pid.tmp; mv pid.tmp pid; read x; s=$?; trap "" INT; echo "st=$s x=$x"; rm pid' > reader.sh
{ until test -s pid; do :; done; p=$(cat pid); while test -e pid; do kill -INT $p 2>/dev/null; done; } | sh reader.sh | uniq
echo end
#### kill by name
sleep 5 & kill -s TERM $!; wait $! 2>/dev/null; echo $?
#### wait for specific pid
(exit 2) & p=$!; (exit 5) & q=$!; wait $p; echo $?; wait $q; echo $?
#### dollar bang unchanged by foreground
sleep 0 & p=$!; true; [ "$p" = "$!" ] && echo same; wait
#### getopts with OPTIND reset
f() { OPTIND=1; while getopts x o "$@"; do echo $o; done; }; f -x; f -x -x
#### test with parens and not
[ ! \( -f a.txt -a -f nope \) ] && echo ok
#### test string ops with special strings
[ "(" = "(" ] && echo paren; [ "!" = "!" ] && echo bang
#### test -t on non tty
[ -t 0 ]; echo $?
#### test -L
ln -s a.txt link.txt; [ -L link.txt ] && echo link; [ -h a.txt ] || echo notlink
#### test -ef
ln a.txt hard.txt; [ a.txt -ef hard.txt ] && echo same
#### echo dash n only first
echo -n -n x; echo; echo x -n
#### printf reuse with fewer args
printf '%s %s\n' a b c
#### printf no newline
printf abc; printf '\n'
#### printf percent s with number
printf '%s\n' 42 -1
#### printf precision on int
printf '%.3d|%8.3d\n' 5 5
#### printf unknown escape
printf 'a\qb\n'
#### read with more fields than vars
echo 'a b c d' | { read x y; echo "[$x][$y]"; }
#### read fewer fields than vars
echo 'a' | { read x y z; echo "[$x][$y][$z]"; }
#### read from file descriptor loop
exec 3< numbers; while read -r n <&3; do printf '%s,' "$n"; done; exec 3<&-; echo
#### semicolon after background
sleep 0 & echo next; wait
#### comment after semicolon
echo a; # echo b
#### keyword as argument
echo if then else fi do done case esac
#### reserved word after semicolon
true; if true; then echo y; fi
#### closing brace as argument
echo }
#### brace group needs semicolon
{ echo a; }
#### subshell without spaces
(echo a)
#### function with keyword body
f() if true; then echo kw; fi; f
#### nested subshells
( ( echo deep ) )
#### arithmetic for c style not supported
x=5; while [ $x -gt 0 ]; do x=$((x-2)); done; echo $x
#### long string
s=; i=0; while [ $i -lt 200 ]; do s="${s}x"; i=$((i+1)); done; echo ${#s}
#### many positional params
set -- $(seq 1 50); echo $# ${50}
#### unset positional via set
set -- a; set --; echo "[$1]"
#### dollar hash in function vs global
set -- g1 g2; f() { echo $#; }; f; echo $#
#### variable named like keyword
if=1; echo $if
#### exec in subshell
(exec echo from-exec); echo after
#### command -v function and alias
f() { :; }; command -v f; alias al='echo'; command -v al
#### type of builtin special
type export; type :
#### umask octal leading zeros
umask 0002; umask
#### shell options via sh -c
sh -c 'echo $0 $1 $2' name a b
#### sh -c exit status
sh -c 'exit 7'; echo $?
