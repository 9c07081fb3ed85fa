#### count lines in files
for f in *.txt; do n=$(wc -l < "$f"); echo "$f: $n"; done
#### case on arguments
set -- -v --name=foo file1 -x file2
verbose=0; name=; files=
for arg; do
  case $arg in
    -v) verbose=1 ;;
    --name=*) name=${arg#--name=} ;;
    -*) echo "unknown option $arg" ;;
    *) files="$files $arg" ;;
  esac
done
echo "verbose=$verbose name=$name files=$files"
#### generate files with heredoc
for i in 1 2 3; do
  cat > "gen$i.conf" <<EOF
# config $i
id=$i
name=item$((i * 10))
EOF
done
cat gen2.conf; ls gen*.conf
#### pipeline of utilities
cat numbers | sort -n | tail -2 | tr '\n' ' '; echo
#### csv processing
while IFS=, read name age; do
  [ "$name" = name ] && continue
  echo "$name is $age"
done < data.csv
#### sum with awk and shell
total=0; for n in $(cat numbers); do total=$((total + n)); done; echo $total
#### trap cleanup
tmp=tmpfile.$$; trap 'rm -f "$tmp"; echo cleaned' EXIT; echo data > "$tmp"; cat "$tmp"
#### function library
log() { printf '[%s] %s\n' "$1" "$2"; }
die() { log ERROR "$1"; exit 1; }
log INFO starting
[ -f a.txt ] || die "missing"
log INFO done
#### string manipulation
path=/home/user/docs/report.final.pdf
base=${path##*/}; dir=${path%/*}; ext=${base##*.}; stem=${base%.*}
echo "$dir | $base | $stem | $ext"
#### counting with while and read
n=0; while read -r line; do n=$((n+1)); done < a.txt; echo "$n lines"
#### nested command substitution
echo "outer $(echo "middle $(echo inner)")"
#### find and loop
find sub -name '*.txt' | sort | while read f; do echo "found $f"; done
#### grep in condition
if grep -q beta a.txt; then echo has-beta; fi; grep -c a a.txt
#### reverse words
rev=""; for w in one two three; do rev="$w $rev"; done; echo $rev
#### fizzbuzz
i=1; while [ $i -le 15 ]; do
  if [ $((i % 15)) -eq 0 ]; then echo FizzBuzz
  elif [ $((i % 3)) -eq 0 ]; then echo Fizz
  elif [ $((i % 5)) -eq 0 ]; then echo Buzz
  else echo $i; fi
  i=$((i + 1))
done
#### fibonacci function
fib() { a=0; b=1; i=0; while [ $i -lt $1 ]; do t=$((a + b)); a=$b; b=$t; i=$((i + 1)); done; echo $a; }
fib 10; fib 20
#### usage message
usage() { echo "usage: prog [-h] file" >&2; exit 2; }
set -- -h
case $1 in -h) usage;; esac
#### here doc generating script then running it
cat > gen.sh <<'EOF'
echo "generated script got $# args: $*"
EOF
sh gen.sh a b c
#### temp files and mv
echo one > t1; mv t1 t2; cat t2; [ -e t1 ] || echo t1-gone
#### xargs pipeline
printf 'a\nb\nc\n' | xargs echo items:
#### sed and tr
echo "Hello World" | tr 'A-Z' 'a-z' | sed 's/world/there/'
#### while loop reading command output
ls sub | while read entry; do echo "entry: $entry"; done
#### default args function
greet() { echo "Hello, ${1:-stranger}!"; }; greet; greet Bob
#### exit status propagation in pipeline with grep
echo abc | grep -q xyz; echo "grep says $?"
#### eval building commands
cmd="echo"; args="a b"; eval "$cmd $args"
#### variable indirection with eval
name=color; color=blue; eval "echo \$$name"
#### loop with break on file
for f in a.txt b.txt c.log; do [ "$f" = b.txt ] && { echo "stop at $f"; break; }; echo "$f"; done
#### arithmetic table
for i in 1 2 3; do row=""; for j in 1 2 3; do row="$row $((i*j))"; done; echo $row; done
#### shell script with functions and return codes
check() { [ -e "$1" ] && return 0; return 1; }
for f in a.txt nope.txt; do if check "$f"; then echo "$f ok"; else echo "$f missing"; fi; done
#### subshell pipeline output
(echo a; echo b; echo c) | sort -r
#### wc on glob
cat *.txt | wc -l
#### tee
echo tee-me | tee copy.txt > /dev/null; cat copy.txt
#### read into multiple from here doc
read a b c <<EOF
x y z w
EOF
echo "$a-$b-$c"
#### IFS restore pattern
old=$IFS; IFS=,; set -- $(echo "a,b,c"); IFS=$old; echo "$# $2"
#### printf table
printf '%-6s|%4s\n' name age ann 31 bob 7
#### string contains via case
s="hello world"; case $s in *wor*) echo contains;; esac
#### max of list
max=0; for n in 3 17 5 9; do [ $n -gt $max ] && max=$n; done; echo $max
#### set -e script with cleanup
set -e
cleanup() { echo "cleanup $?"; }
trap cleanup EXIT
echo working
false
echo unreachable
#### getopts script
parse() {
  OPTIND=1
  while getopts "ab:c" opt; do
    case $opt in
      a) echo "flag a";;
      b) echo "b=$OPTARG";;
      c) echo "flag c";;
      ?) echo "bad";;
    esac
  done
  shift $((OPTIND - 1))
  echo "remaining: $*"
}
parse -a -b foo -c one two
parse -ac -bbar three
#### command substitution with pipes
n=$(cat a.txt | grep -c a); echo "$n"
#### background jobs collecting
for i in 1 2 3; do (echo "job $i" > job$i.out) & done; wait; cat job1.out job2.out job3.out
#### quoting filenames with spaces
for f in *; do [ -f "$f" ] && case "$f" in *' '*) echo "has space: $f";; esac; done
#### export in function visible in child
f() { export FROMF=yes; }; f; sh -c 'echo $FROMF'
#### positional via set in loop
set -- $(echo one two three); while [ $# -gt 0 ]; do echo "arg $1"; shift; done
#### option parsing config heredoc primes trap
# option parsing with shift
set -- -o out.txt -v --force -- -x file1 "file 2"
out= verbose=0 force=0
while [ $# -gt 0 ]; do
  case "$1" in
    -o) shift; out=$1 ;;
    -v) verbose=$((verbose + 1)) ;;
    --force) force=1 ;;
    --) shift; break ;;
    -*) echo "bad option $1" >&2; exit 2 ;;
    *) break ;;
  esac
  shift
done
echo "out=$out verbose=$verbose force=$force rest=$#"
for f in "$@"; do printf '<%s>\n' "$f"; done
# string functions
trim() { local s="$1"; s="${s#"${s%%[! ]*}"}"; s="${s%"${s##*[! ]}"}"; printf '%s' "$s"; }
echo "[$(trim '   padded text   ')]"
upper() { echo "$1" | tr '[:lower:]' '[:upper:]'; }
upper hello
# counting words
text="the quick brown fox jumps over the lazy dog the end"
count=0; for w in $text; do [ "$w" = the ] && count=$((count + 1)); done
echo "the: $count"
# heredoc config
cat > app.conf <<CONF
# generated
name = demo
port = $((8000 + 80))
path = ${HOME:-/none}/app
CONF
while IFS=' =' read -r key value; do
  case $key in ''|'#'*) continue ;; esac
  echo "key=$key value=$value"
done < app.conf
# arithmetic loops
n=10; a=0; b=1; fibs=
while [ $n -gt 0 ]; do fibs="$fibs $a"; t=$((a + b)); a=$b; b=$t; n=$((n - 1)); done
echo "fib:$fibs"
primes=; i=2
while [ $i -lt 30 ]; do
  j=2; p=1
  while [ $((j * j)) -le $i ]; do [ $((i % j)) -eq 0 ] && { p=0; break; }; j=$((j + 1)); done
  [ $p -eq 1 ] && primes="$primes $i"
  i=$((i + 1))
done
echo "primes:$primes"
# subshell and pipes
result=$( (echo b; echo a; echo c) | sort | tr '\n' ' ')
echo "sorted: $result"
# traps and exit
cleanup() { echo "cleanup (status $?)"; rm -f app.conf; }
trap cleanup EXIT
[ -f app.conf ] && echo "conf exists"
exit 3
#### file processing loop
# file processing
mkdir -p in out
for i in 1 2 3 4 5; do
  printf 'item %d\nvalue %d\n' "$i" $((i * i)) > "in/file$i.txt"
done
for f in in/*.txt; do
  base=${f##*/}; stem=${base%.txt}
  v=$(grep value "$f" | cut -d' ' -f2)
  if [ "$v" -gt 5 ]; then
    echo "$stem big $v" > "out/$stem.res"
  else
    echo "$stem small $v" > "out/$stem.res"
  fi
done
cat out/*.res
ls out | wc -l
total=0
for f in out/*.res; do
  read name kind val < "$f"
  total=$((total + val))
done
echo "total=$total"
find in -type f | sort | while read -r p; do
  case $p in
    *1.txt|*3.txt) echo "odd $p" ;;
    *) echo "even $p" ;;
  esac
done
rm -r in out
[ -d in ] || echo removed
set -e
check() { [ "$1" -lt 3 ]; }
for n in 1 2 3; do
  if check $n; then echo "$n ok"; else echo "$n too big"; fi
done
check 1 && echo still-running
count=$(ls | wc -l); echo "entries: $count"
