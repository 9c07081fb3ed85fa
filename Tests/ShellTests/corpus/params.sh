#### default value
unset x; echo ${x-def} ${x:-def2}; x=; echo "${x-def}" ${x:-def2}
#### assign default
unset x; echo ${x=set}; echo $x; y=; echo ${y:=now}; echo $y
#### alternative
x=1; echo ${x+alt} ${x:+alt2}; y=; echo "[${y+alt}]" "[${y:+alt}]"; unset z; echo "[${z+alt}]"
#### error if unset
x=ok; echo ${x?bad}; (echo ${nope?is missing}); echo "st=$?"
#### error colon null
x=; (: ${x:?empty}); echo $?
#### length
x=hello; echo ${#x}; y=; echo ${#y}; set -- a b c d; echo ${#}
#### remove suffix
f=archive.tar.gz; echo ${f%.*} ${f%%.*}
#### remove prefix
p=/usr/local/bin/tool; echo ${p#*/} ${p##*/}
#### pattern with quotes
x='a*b*c'; echo ${x%'*'*} ${x#*\*}
#### pattern with bracket
x=abc123; echo ${x%%[0-9]*} ${x##*[a-z]}
#### no match leaves value
x=hello; echo ${x%z} ${x#z}
#### positional params
set -- one two three; echo $1 $2 $3 $#
#### positional beyond 9
set -- 1 2 3 4 5 6 7 8 9 ten eleven; echo ${10} ${11} $10
#### dollar at quoted
set -- "a b" c; for i in "$@"; do echo "[$i]"; done
#### dollar star quoted
set -- "a b" c; for i in "$*"; do echo "[$i]"; done
#### dollar at unquoted
set -- "a b" c; for i in $@; do echo "[$i]"; done
#### dollar star with IFS
set -- a b c; IFS=:; echo "$*"; IFS=; echo "$*"
#### empty dollar at
set --; for i in "$@"; do echo x; done; echo "n=$#"
#### dollar at with prefix
set -- a b; for i in "x$@y"; do echo "[$i]"; done
#### dollar at empty args kept
set -- "" ""; for i in "$@"; do echo "[$i]"; done
#### shift
set -- a b c d; shift; echo $*; shift 2; echo $*
#### special vars
echo $? ; false; echo $?; true; echo $?
#### dollar dollar is number
case $$ in *[!0-9]*) echo bad;; *) echo ok;; esac
#### dollar zero is script name
echo $0
#### dollar bang after background
sleep 0 & case $! in *[!0-9]*|'') echo bad;; *) echo ok;; esac; wait
#### braces
x=val; echo ${x}ue "${x}s"
#### nested default
unset a b; echo ${a:-${b:-deep}}
#### default with spaces splits
unset x; for w in ${x:-a b c}; do echo "[$w]"; done
#### default quoted no split
unset x; for w in "${x:-a b c}"; do echo "[$w]"; done
#### assign in arithmetic context
unset n; echo $(( ${n:=4} * 2 )) $n
#### length of special
set -- abc; echo ${#1}
#### unset variable is empty
unset nothing; echo "[$nothing]"
#### environment variable visible
echo "$TESTVAR"
#### variable in environment of child
FOO=bar sh -c 'echo $FOO'; echo "[$FOO]"
#### export to child
export X1=exported; sh -c 'echo $X1'
#### unexported not visible
Y1=local; sh -c 'echo "[$Y1]"'
#### set -u unset error
set -u; x=1; echo $x; echo $undefined_var; echo after
#### set -u with default ok
set -u; echo ${undefined_var:-fine}
#### readonly
readonly R=1; echo $R; (R=2); echo "st=$?"
#### unset
x=1; unset x; echo "[${x-unset}]"
#### unset function
f() { echo f; }; f; unset -f f; f 2>/dev/null; echo $?
#### IFS default splitting
x='  a  b
c	d  '; set -- $x; echo $#; echo "$1|$2|$3|$4"
#### IFS colon
IFS=:; x='a:b::c:'; set -- $x; echo $#; for i in "$@"; do echo "[$i]"; done
#### IFS mixed white and colon
IFS=' :'; x=' a : b  c: '; set -- $x; echo $#; for i in "$@"; do echo "[$i]"; done
#### IFS empty no split
IFS=; x='a b c'; set -- $x; echo $#
#### IFS unset default
unset IFS; x='a b'; set -- $x; echo $#
#### IFS leading colon
IFS=:; x=':a'; set -- $x; echo $#; echo "[$1][$2]"
#### splitting only expansions
IFS=:; x=a:b; echo a:b $x
#### command substitution splits
for w in $(echo 'x y  z'); do echo "[$w]"; done
#### quoted command substitution
echo "$(printf 'a\nb\n\n\n')" end
#### trailing newlines stripped
x=$(printf 'v\n\n'); echo "[$x]"
#### LINENO
echo a
echo $LINENO
#### tilde expansion
HOME=/home/test; echo ~ ~/x "~" x~
#### tilde in assignment
HOME=/h; x=~/bin; echo $x
#### dollar-name boundary
x=1; xy=2; echo $xy ${x}y $x-y
#### special IFS char in value not split when quoted
IFS=,; v="a,b"; echo "$v"; echo $v
#### quoted at with default keeps fields
set -- a b; printf "[%s]" "${@:-x}"; echo; set --; printf "[%s]" "${@:-x}"; echo
#### unquoted at with default splits
set -- "a b" c; printf "[%s]" ${@:-x}; echo
#### star with default quoted joins
set -- a b; printf "[%s]" "${*:-x}"; echo
#### at in assignment joins with space
set -- a b; x="$@"; echo "$x"; y=$@; echo "$y"
#### at glued on both sides
set -- a b; printf "[%s]" "$@$@"; echo; printf "[%s]" "-$*-"; echo
#### at joined by IFS where nothing splits
IFS=:; set -- a b; x="$@"; echo "$x"; x=$@; echo "$x"; cat <<EOF
$@ ${@} "$@" $*
EOF
case "$@" in "a:b") echo colon;; "a b") echo space;; esac
echo "${@}" > f; cat f; IFS=; z="$@"; echo "$z"; unset IFS; z="$@"; echo "$z"
#### simple expansions split and glob as the general path
v='a b' w='*.txt' e=; set -- $v $w "$w" x${e}y $e "" ${#v}; echo $#; for f; do printf '<%s>' "$f"; done; echo
IFS=: ; v=a:b::c; set -- $v "$v" ${v}; echo $#; for f; do printf '<%s>' "$f"; done; echo
#### unset under set -u in a quoted word
set -u; x=1; echo "${x}y"; echo "${nothere}z"; echo after
#### special parameters in simple words
set -- one two; echo "$#:$1:${2}" x$#y ${#1} "$?" $- >/dev/null; echo "$#:$1:${2}" x$#y ${#1}
