#### expansion adjacent to literals splits
x=" a "; printf "[%s]" pre${x}post; echo
#### trailing spaces joined
x="a  "; printf "[%s]" $x$x; echo
#### empty fields from non-white IFS
IFS=,; x="a,,b,"; printf "[%s]" $x; echo
#### mixed IFS delimiters
IFS=", "; x="a , b,,c , "; printf "[%s]" $x; echo
#### read trailing delimiter
IFS=,; echo "a,b," | { read x y; echo "[$x][$y]"; }
#### read keeps inner delimiters in last
IFS=,; echo "a,b,c," | { read x y; echo "[$x][$y]"; }
#### read two trailing delimiters
IFS=,; echo "a,b,," | { read x y; echo "[$x][$y]"; }
#### read mixed IFS trailing
IFS=", "; echo " a , b , " | { read x y; echo "[$x][$y]"; }
#### read mixed IFS three fields into two
IFS=", "; echo " a , b , c , " | { read x y; echo "[$x][$y]"; }
#### read backslash at end
echo "a\\" | { read x; echo "[$x]"; }
#### read escaped space
printf 'a b\\ c\n' | { read x y; echo "[$x][$y]"; }
#### read with empty IFS keeps tabs
printf 'a\tb\n' | { IFS= read x; echo "[$x]"; }
#### read raw keeps spaces with empty IFS
printf '  x  \n' | { IFS= read -r x; echo "[$x]"; }
#### quoted empty glued keeps glob
x="*"; printf "[%s]" $x""; echo
#### empty variable glued to quotes
e=""; printf "[%s]" a$e b"$e"; echo
#### dollar star unquoted drops empties
set -- "" a ""; printf "[%s]" $*; echo; printf "[%s]" "$@"; echo
#### empty IFS keeps params apart
IFS=; set -- "a b" c; printf "[%s]" $*; echo; printf "[%s]" $@; echo
#### IFS colon splits params
IFS=:; set -- a:b c; printf "[%s]" $*; echo
#### only whitespace value gives no field
x=" "; printf "[%s]" $x; echo
#### IFS space colon leading
IFS=" :"; x=":a:"; printf "[%s]" $x; echo
#### assignment then split
x="a b"; y=$x; for i in $y; do echo $i; done
#### split arithmetic result never
IFS=1; echo $((111+0))
#### split command substitution with IFS newline
IFS='
'; for l in $(printf 'a b\nc d\n'); do echo "[$l]"; done
#### IFS tab only
IFS='	'; x='a b	c'; printf '[%s]' $x; echo
#### splitting result of default word
unset v; printf '[%s]' ${v:-"x y" z}; echo
#### quoted at in default word
set -- a b; printf '[%s]' "${1+"$@"}"; echo
