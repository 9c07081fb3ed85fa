#### test string
test abc = abc && echo eq; test abc != abd && echo ne; [ -n x ] && echo n; [ -z "" ] && echo z
#### test numbers
[ 10 -gt 9 ] && echo gt; [ 3 -le 3 ] && echo le; [ -5 -lt 2 ] && echo lt; [ 4 -ne 4 ] || echo notne
#### test files
[ -f a.txt ] && echo file; [ -d sub ] && echo dir; [ -e nope ] || echo noexist; [ -s a.txt ] && echo nonempty
#### test executable and readable
[ -x tool.sh ] && echo x; [ -r a.txt ] && echo r; [ -w a.txt ] && echo w
#### test negation and combination
[ ! -f sub ] && echo notfile; [ -f a.txt -a -d sub ] && echo both; [ -f nope -o -d sub ] && echo either
#### test parens
[ \( 1 -eq 1 \) -a \( 2 -eq 2 \) ] && echo ok
#### test single arg
[ x ] && echo nonempty; [ "" ] || echo empty
#### test one arg operator like
[ -n ] && echo yes; [ = ] && echo yes2
#### test three arg bang
[ ! = x ] ; echo $?; [ ! a = b ] && echo neg
#### test bad number
[ a -eq 1 ]; echo $?
#### test missing bracket
[ 1 = 1; echo $?
#### test newer
touch -d '2020-01-01' old.f; touch new.f; [ new.f -nt old.f ] && echo newer; [ old.f -ot new.f ] && echo older
#### test empty no args
test; echo $?
#### test string comparisons with dash args
[ "-x" = "-x" ] && echo ok
#### test too many args
[ 1 2 3 ]; echo $?
#### true false colon
true; echo $?; false; echo $?; :; echo $?
#### cd and pwd
cd sub; pwd | sed 's|.*/work|W|'; cd ..; pwd | sed 's|.*/work|W|'
#### cd dash
cd sub; cd deeper; cd - | sed 's|.*/work|W|'; pwd | sed 's|.*/work|W|'
#### cd nonexistent
cd /nonexistent/dir; echo "st=$?"
#### cd dotdot logical
cd sub/deeper/../..; pwd | sed 's|.*/work|W|'
#### cd home
cd /; cd; pwd | sed 's|.*/work|W|'
#### OLDPWD
cd sub; echo $OLDPWD | sed 's|.*/work|W|'
#### read basic
echo 'a b c d' > in.txt; read x y z < in.txt; echo "$x|$y|$z"
#### read raw
printf 'a\\tb\\\n' > in.txt; read -r line < in.txt; echo "$line"; read line < in.txt; echo "$line"
#### read eof status
read x < /dev/null; echo $? "[$x]"
#### read no trailing newline
printf 'last' | { read x; echo $? "$x"; }
#### read REPLY
echo hello | { read; echo $REPLY; }
#### read with IFS
echo 'a:b:c' | { IFS=: read x y; echo "$x|$y"; }
#### read leading spaces trimmed
echo '   spaced   out   ' | { read x; echo "[$x]"; }
#### read backslash continuation
printf 'one \\\ntwo\n' | { read x; echo "[$x]"; }
#### set positional
set -- a b c; echo $# $2
#### set dollar dash
set -e; echo $-; set +e; set -u; echo $-; set -f; echo $-
#### set -o
set -o errexit; echo $-; set +o errexit; echo "[$-]"
#### set lists variables
zzz_test=1; set | grep '^zzz_test='
#### export -p
export EXP_A='v a'; export -p | grep EXP_A
#### readonly -p
readonly RO_A=1; readonly -p | grep RO_A
#### unset readonly fails
readonly RO=1; unset RO; echo after
#### shift too many
set -- a; shift 2; echo after
#### local in nested
f() { local v=f; g; echo "f:$v"; }; g() { v=g; }; v=top; f; echo "top:$v"
#### getopts basic
set -- -a -b val file; while getopts ab: opt; do echo "$opt ${OPTARG-}"; done; shift $((OPTIND-1)); echo "rest $*"
#### getopts combined
set -- -xy -z arg; while getopts xyz: o; do echo "$o:${OPTARG-}"; done; echo $OPTIND
#### getopts invalid
set -- -q; getopts a o; echo "$o" $?
#### getopts silent
set -- -q -a; while getopts :a o; do echo "$o ${OPTARG-}"; done
#### getopts missing arg silent
set -- -a; getopts :a: o; echo "$o $OPTARG"
#### getopts end
set -- file; getopts a o; echo $? $o $OPTIND
#### getopts double dash
set -- -a -- -b; while getopts ab o; do echo $o; done; echo $OPTIND
#### trap exit
trap 'echo exiting' EXIT; echo body
#### trap exit with status
trap 'echo "status $?"' EXIT; false
#### trap listing
trap 'echo hi' INT; trap
#### trap reset
trap 'echo x' EXIT; trap - EXIT; echo done
#### trap signal
trap 'echo caught USR1' USR1; kill -USR1 $$; echo after
#### trap ignore
trap '' TERM; kill -TERM $$; echo survived
#### trap in subshell reset
trap 'echo parent' EXIT; (echo child); echo end
#### kill -l
kill -l 15; kill -l 130
#### kill child
sleep 5 & pid=$!; kill $pid; wait $pid; echo $?
#### type
type cd; type if; type nonexistent_cmd; echo $?
#### type function
f() { :; }; type f | head -1
#### command -v
command -v cd; command -v sh | grep -c sh; command -v nonexistent_cmd; echo $?
#### command -V
command -V true
#### alias
alias ll='echo listing'
ll
#### alias listing
alias a1='echo 1' a2='echo 2'; alias
#### unalias
alias x1='echo x'; unalias x1; alias
#### alias trailing space
alias say='echo ' w=world
say w
#### umask
umask 027; umask; umask -S; umask u=rwx,g=rx,o=; umask
#### umask affects files
umask 077; echo x > m.txt; ls -l m.txt | cut -c1-10
#### exec command
exec echo replaced; echo never
#### eval status
eval false; echo $?; eval; echo $?
#### times format
times | wc -l
#### hash builtin
hash; echo $?
#### echo many args
echo a b c d e f g
#### printf to variable
x=$(printf '%03d' 7); echo $x
#### special builtin assignment persists
x=1 :; echo $x
#### regular builtin assignment temporary
x=old; x=new true; echo $x
#### wait no jobs
wait; echo $?
#### set prints shell variables
set | grep -E '^(IFS|OPTIND|PS1|PS2|PS4)='
#### trap runs between loop iterations
trap 'echo t' USR1; i=0; while [ $i -lt 2 ]; do kill -USR1 $$; i=$((i+1)); done
#### set -o listing
set -eu; set -o; set +o
#### unset bad name is fatal
unset 1x; echo after
#### kill zero signal
kill -0 $$; echo $?
#### trap zero is exit
trap 'echo at exit' 0; echo body
#### kill -l full list
kill -l
#### kill -l numbers and errors
kill -l 9 15 2; kill -l 64; kill -l 200; echo $?; kill -l 143; kill -l TERM; echo $?
#### command makes special builtin errors non-fatal
command shift 5; echo "after $?"
#### command exit still exits
command exit 3; echo after
#### cd double slash kept
cd //; pwd; cd ///; pwd; cd /; pwd
#### cd via CDPATH prints
CDPATH=/; cd tmp; pwd
#### cd dash without OLDPWD
cd -; echo $?
#### exec passes prefix assignments
x=1 exec sh -c 'echo "x=$x"'
#### getopts state reset by set and shift
OPTIND=5; set -- a; echo $OPTIND; f() { echo in:$OPTIND; OPTIND=3; }; f x; echo $OPTIND; set -- -a; getopts a o; echo $o $OPTIND; set -- -b; getopts b o; echo $o $OPTIND; shift; echo $OPTIND
#### getopts loop twice without resetting OPTIND
for j in 1 2; do set -- -a -b v; while getopts ab: o; do echo "$o${OPTARG:+=$OPTARG}"; done; done
