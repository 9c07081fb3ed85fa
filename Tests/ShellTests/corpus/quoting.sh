#### single quotes
echo 'a  b' 'c"d' '$HOME' 'back\slash'
#### double quotes keep spaces
x='a   b'; echo "$x" $x
#### backslash escapes unquoted
echo a\ b \$x \\ \' \"
#### backslash in double quotes
echo "a\$b" "c\"d" "e\\f" "g\h" "\`"
#### line continuation
echo one \
two \
three
#### continuation inside double quotes
echo "ab\
cd"
#### adjacent quoting
echo 'a'"b"c'd'"e f"
#### empty quotes make an argument
set -- '' "" x; echo $#
#### quoted dollar at end
echo "cost: $" 'x$' a$
#### single quote inside double
echo "it's" 'say "hi"'
#### dollar single char specials quoted
set -- a b c; echo "$#" "$1$2$3"
#### escaped newline in single quotes kept
echo 'a\
b'
#### hash not a comment mid-word
echo a#b c # d e
#### quoted hash
echo '#x' "#y" \#z
#### backslash newline between words
echo a\
b
#### unicode passes through
echo "héllo wörld" 'ünï'
#### quotes in variable values are literal
x='"q"'; echo $x "$x"
#### escaped glob chars
echo \* "*" '*' \?
#### nested quoting in command substitution
echo "$(echo "inner 'q' \"dq\"")"
#### backquote escapes
echo `echo \`echo nested\``
#### backquote with dollar escape
x=1; echo `echo \$x`
#### tab separated words
printf '%s\n' a	b	c
#### echo -n
echo -n abc; echo def
#### echo escapes
echo 'a\tb\nc' 'd\c' e
#### echo octal
echo '\0101\0102'
#### echo dash e is literal
echo -e x
#### printf basic
printf '%s-%s\n' a b c d e
#### printf numbers
printf '%d %5d %-5d| %05d %x %X %o %u\n' 42 42 42 42 255 255 8 7
#### printf strings width
printf '[%10s][%-10s][%.2s]\n' abc abc abcdef
#### printf char and percent
printf '%c%c %%\n' hello world
#### printf b escapes
printf '%b|%s\n' 'a\nb' 'a\nb'
#### printf no args reuse
printf 'x\n'
#### printf missing args
printf '%s|%d|\n'
#### printf char constant
printf '%d\n' "'A"
#### printf hex and octal input
printf '%d %d %d\n' 0x10 010 -5
#### printf bad number
printf '%d\n' abc; echo "st=$?"
#### printf plus and space
printf '%+d % d\n' 5 5
#### printf star width
printf '[%*s]\n' 6 ab
#### printf escapes in format
printf 'a\tb\\c\101\n'
#### printf floats
printf '%f %.2f %.0f %e %.3e %g %g %g\n' 3.14159 2.675 2.5 12345.678 0.000123 0.0001 1234567 100
#### printf float widths
printf '[%8.3f][%-8.2f][%08.2f][%+.1f]\n' 3.14159 1.5 -3.2 2
#### printf invalid directive
printf '%q\n' x; echo "st=$?"
#### quoting torture
# quoting torture
a='single '"'"' quote'; echo "$a"
b="dq \"inner\" \$dollar \`tick\` back\\slash"; echo "$b"
c=$(printf '%s' "$b" | sed 's/inner/INNER/'); echo "$c"
eval "d=\"evaluated \$a\""; echo "$d"
set -- "$a" "$b"; echo "$# [$1] [$2]"
IFS=x; e="axbxc"; set -- $e; echo "$# $2"; unset IFS
f='*'; echo "$f" "${f}" '$f' \$f
echo "${undefined:-"default value"}" "${undefined:-'single'}"
g="a b"; h="${g:+"$g" more}"; echo "$h"
printf '%s|' "$@" x; echo
echo '\' "\\" \\ '\\'
echo "tab	inside" 'tab	single'
echo "$(echo "$(echo "$(echo deep)")")"
echo `echo "a\`echo b\`c"`
i=5; echo "$((i * 2))" "$(( $i + 1 ))" "${i}0"
j='$i'; eval echo "$j"
k="a;b"; echo $k
l='echo inj; echo ected'; $l
m="x*"; echo "$m" $m
n=" lead trail "; echo "[$n]" [$n]
echo ''"$n"''
#### printf backslash c in format is literal
printf 'a\cb'; echo
#### printf partial numbers
printf '%d\n' 1.5 '42 ' 08 0x1F ' -3'; echo "st=$?"
#### printf missing format character
printf 'x%'; echo "st=$?"
