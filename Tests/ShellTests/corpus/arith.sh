#### basic ops
echo $((1+2)) $((7-10)) $((6*7)) $((17/5)) $((17%5)) $((-17/5)) $((-17%5))
#### precedence
echo $((2+3*4)) $(((2+3)*4)) $((2*3+4*5)) $((10-4-3)) $((100/10/5))
#### comparison
echo $((1<2)) $((2<1)) $((2<=2)) $((3>2)) $((3>=4)) $((1==1)) $((1!=1))
#### logical
echo $((1&&0)) $((1||0)) $((0||0)) $((!0)) $((!5)) $((2&&3))
#### bitwise
echo $((5&3)) $((5|3)) $((5^3)) $((~5)) $((1<<4)) $((256>>2))
#### ternary
x=5; echo $((x>3 ? 10 : 20)) $((x<3 ? 10 : 20))
#### nested ternary
x=2; echo $((x==1 ? 100 : x==2 ? 200 : 300))
#### variables in arithmetic
a=6 b=7; echo $((a*b)) $(($a*$b)) $((a + b * 2))
#### assignment operators
x=10; : $((x+=5)); echo $x; : $((x-=3)); echo $x; : $((x*=2)); echo $x; : $((x/=4)); echo $x; : $((x%=4)); echo $x
#### more assignment operators
x=1; : $((x<<=3)); echo $x; : $((x>>=1)); echo $x; : $((x|=1)); echo $x; : $((x&=6)); echo $x; : $((x^=7)); echo $x
#### plain assignment value
echo $((y=4+5)); echo $y
#### hex octal
echo $((0x1f)) $((0XFF)) $((017)) $((0))
#### unary minus plus
echo $((-5)) $((+5)) $((- -5)) $((-(-3)))
#### unset variable is zero
unset u; echo $((u+1))
#### empty expression is zero
echo $(())
#### whitespace and newlines
echo $((  1 +
 2  ))
#### division by zero error
echo $((1/0)); echo after
#### syntax error in arithmetic
echo $((1+)); echo after
#### short circuit
x=0; echo $((0 && (x=1))); echo $x; echo $((1 || (x=2))); echo $x
#### large numbers
echo $((9223372036854775807)) $((2**3)) 2>/dev/null; echo st=$?
#### overflow wraps
echo $((9223372036854775807 + 1))
#### parenthesized assignment
echo $(( (x=3) + x ))
#### command substitution inside
echo $(( $(echo 6) * 7 ))
#### arithmetic in loop counter
i=0; s=0; while [ $i -lt 100 ]; do s=$((s+i)); i=$((i+1)); done; echo $s
#### negative modulo
echo $(( -7 % 3 )) $(( 7 % -3 ))
#### comparison chain
echo $(( 1 < 2 < 3 )) $(( 3 > 2 > 1 ))
#### variable with spaces value
x=' 12 '; echo $((x + 1))
#### variable holding non-number
x=abc; echo $((x + 1)); echo after
#### quoted inside arithmetic
echo $(( "3" + '4' ))
#### parsed once, evaluated on every iteration
i=0 sum=0; while [ $i -lt 5 ]; do sum=$(( sum + i * i )); i=$((i + 1)); done; echo $i $sum
a=2; for k in 1 2 3; do echo $(( a * k )) $(( k < 2 ? k : -k )); a=$((a + 10)); done
#### numbers as variable values
x=' -0x1F '; echo $((x + 1)); x=010; echo $((x)); x=+7; echo $((x * 2)); x=0; echo $((x + 1))
#### variable holding a sign alone
x='- 5'; echo $((x + 1)); echo after
#### assignment inside an untaken branch
x=1; echo $(( 0 ? (x = 5) : (x += 2) )) $x; echo $(( 1 || (x = 9) )) $x
#### error after an assignment in a subshell
x=1; ( : $(( (x = 5) + )) ); echo "status $? x $x"
#### division by zero before a syntax error
( echo $(( 1 / 0 + )) ); echo "status $?"
#### arithmetic alone with IFS holding a digit
IFS=1; set -- $((21 + 90)); echo $#; for f; do printf '<%s>' "$f"; done; echo
#### arithmetic assigning IFS
set -- $((IFS = 5)) x$((2 + 3))y; echo $#; for f; do printf '<%s>' "$f"; done; echo
#### arithmetic beside an unquoted variable
v='a b' n=2; set -- $v$((n + 1)) "$v$((n * 2))"; echo $#; for f; do printf '<%s>' "$f"; done; echo
