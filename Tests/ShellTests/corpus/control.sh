#### if elif else
for n in 1 2 3; do if [ $n = 1 ]; then echo one; elif [ $n = 2 ]; then echo two; else echo other; fi; done
#### if status when no branch
if false; then echo x; fi; echo $?
#### while loop
i=0; while [ $i -lt 5 ]; do echo $i; i=$((i+1)); done
#### until loop
i=3; until [ $i -eq 0 ]; do echo $i; i=$((i-1)); done
#### for over words
for w in a b c; do echo "w=$w"; done
#### for without in uses positional
set -- x y; for a; do echo $a; done
#### for with newline before do
for a in 1 2
do
  echo $a
done
#### break
for i in 1 2 3 4; do [ $i = 3 ] && break; echo $i; done
#### continue
for i in 1 2 3 4; do [ $i = 2 ] && continue; echo $i; done
#### break 2
for i in 1 2; do for j in a b c; do [ $j = b ] && break 2; echo $i$j; done; done; echo end
#### continue 2
for i in 1 2; do for j in a b; do [ $j = b ] && continue 2; echo $i$j; done; echo never; done
#### loop status
for i in; do :; done; echo $?; while false; do :; done; echo $?
#### case basic
case abc in a*) echo star;; *) echo default;; esac
#### case alternatives
for x in apple kiwi plum; do case $x in apple|plum) echo "$x fruit1";; kiwi) echo "$x fruit2";; esac; done
#### case no match status
case z in a) echo a;; esac; echo $?
#### case with paren
case x in (x) echo paren;; esac
#### case quoted pattern
x='*'; case a in "$x") echo literal;; *) echo glob;; esac
#### case unquoted variable pattern
p='a*'; case abc in $p) echo matched;; esac
#### case bracket and question
for w in cat cot cut c9t; do case $w in c[ao]t) echo "$w:ao";; c?t) echo "$w:any";; esac; done
#### case negated bracket
case b in [!a]) echo not-a;; esac
#### case empty body
case a in a) ;; esac; echo ok
#### case last item without dsemi
case a in b) echo b;; a) echo a
esac
#### case on newlines
case "x" in
  x)
    echo first
    ;;
  *)
    echo second
    ;;
esac
#### and or
true && echo a; false && echo b; false || echo c; true || echo d
#### and or chain
false && echo 1 || echo 2; true || false && echo 3
#### negation
! false; echo $?; ! true; echo $?
#### pipeline status is last
false | true; echo $?; true | false; echo $?
#### negated pipeline
! echo x | grep -q y; echo $?
#### group
{ echo a; echo b; } | wc -l
#### subshell isolation
x=1; (x=2; echo $x); echo $x
#### subshell exit
(exit 7); echo $?
#### subshell cd
(cd /; pwd); pwd | sed 's|.*/||'
#### nested compound
for i in 1 2; do if [ $i = 1 ]; then case $i in 1) echo one;; esac; fi; done
#### while read loop
printf 'l1\nl2\nl3\n' | while read line; do echo "got $line"; done
#### while with redirect
while read a b; do echo "$b $a"; done < b.txt
#### functions
greet() { echo "hello $1"; }; greet world; greet "big world"
#### function positional restored
set -- outer; f() { echo $1; }; f inner; echo $1
#### function return status
f() { return 5; }; f; echo $?
#### function return default
f() { false; return; }; f; echo $?
#### function local
x=global; f() { local x=local; echo $x; }; f; echo $x
#### function recursion
fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }; fact 6
#### function with redirect
f() { echo in-f; } > out.txt; f; cat out.txt
#### function definition subshell body
f() ( x=inner; echo $x ); x=outer; f; echo $x
#### function dollar hash
f() { echo $#; }; f a b c; f
#### function overrides command
ls() { echo "my ls"; }; ls
#### command bypasses function
echo() { printf 'fn\n'; }; echo hi; command echo real
#### background and wait
(sleep 0.1; echo bg) & echo fg; wait; echo done
#### wait status
(exit 3) & wait $!; echo $?
#### semicolon list
echo a; echo b; echo c
#### empty lines and comments
# comment

echo x # trailing

# another
#### if with pipeline condition
if echo abc | grep -q b; then echo found; fi
#### while false body not run
while false; do echo never; done; echo after
#### until true
until true; do echo never; done; echo ok
#### eval
x='echo evaluated'; eval $x; eval 'y=5'; echo $y
#### eval with quotes
eval "echo 'a  b'"
#### dot script
echo 'echo sourced $1; SRC=yes' > lib.sh; . ./lib.sh; echo $SRC
#### dot with return
printf 'echo one\nreturn 4\necho two\n' > r.sh; . ./r.sh; echo $?
#### exit in function
f() { exit 4; }; f; echo never
#### exit status of script
false
#### exit with code
exit 42
#### exit default status
false; exit
#### return from loop in function
f() { for i in 1 2 3; do [ $i = 2 ] && return $i; done; }; f; echo $?
#### exit in exit trap
trap 'exit 5' EXIT; exit 3
#### exit trap in subshell with exit
(trap 'echo e' EXIT; exit 3); echo $?
#### jobs without jobs and fg bg stubs
jobs; echo $?; fg; echo $?; bg; echo $?
#### jobs lists running and done
sleep 0.5 & sleep 0.5 & (exit 3) & sleep 0.2; jobs; echo ---; jobs; wait; echo $?
#### wait after jobs reaped
(exit 4) & sleep 0.1; jobs >/dev/null; wait $!; echo $?
