#### syntax error fi unexpected
echo before
fi
echo after
#### syntax error missing fi
if true; then echo x
#### syntax error missing done
while true; do echo x
#### syntax error unterminated quote
echo 'abc
#### syntax error unterminated double quote
echo "abc
#### syntax error bad paren
echo )
#### syntax error then unexpected
then echo x
#### syntax error missing esac
case x in x) echo x;;
#### syntax error in later line runs earlier
echo line1
echo line2
if then
#### syntax error pipe at end
echo a |
#### syntax error double semicolon
echo a ;; echo b
#### syntax error and-and start
&& echo x
#### syntax error empty group
{ }
#### syntax error bad for variable
for 1x in a; do echo; done
#### syntax error missing in for case
case x esac
#### syntax error redirect without target
echo >
#### syntax error in eval exits
eval 'if'; echo after
#### syntax error in command substitution
x=$(if); echo after
#### syntax error bad substitution
echo ${x y}
#### syntax error unclosed brace param
echo ${x
#### syntax error unclosed command substitution
echo $(echo a
#### syntax error unclosed backquote
echo `echo a
#### syntax error unclosed arithmetic
echo $((1+2)
#### command not found status
nonexistent_command_xyz; echo $?
#### command not found in pipeline
nonexistent_command_xyz | cat; echo $?
#### permission denied
echo 'echo x' > noexec.sh; ./noexec.sh; echo $?
#### directory as command
./sub; echo $?
#### run script without shebang
printf 'echo from script $1\nexit 5\n' > plain.sh; chmod +x plain.sh; ./plain.sh arg; echo $?
#### run executable script
./tool.sh a b; echo $?
#### error message does not stop script
cat missing-file; echo continued
#### parameter error exits
echo ${unset_v?custom message}; echo never
#### readonly assignment exits
readonly r=1; r=2; echo never
#### special builtin error exits
set -- a; shift 3; echo never
#### regular builtin error continues
cd /nonexistent; echo continues
#### dot missing file exits
. ./missing.sh; echo never
#### arithmetic error exits
x=$((2/0)); echo never
#### error in subshell does not exit parent
( echo ${u?gone} ); echo "parent continues $?"
#### exit code truncation
(exit 256); echo $?; (exit 257); echo $?
#### break outside loop
break; echo ok
#### return outside function
return 3; echo never
#### redirect error on special builtin exits
: > /nonexistent/dir/file; echo never
#### redirect error on regular command continues
cat > /nonexistent/dir/file; echo "st=$?"
#### unterminated here document takes rest
cat <<EOF
line
#### empty script
#### only comments
# just a comment
#### nul-free binary junk line
echo ok; ;
#### bad substitution is a runtime error
echo before; echo ${x/a/b}; echo after
#### bad substitution not expanded is harmless
echo before; if false; then echo ${x:1:2}; fi; echo after
#### syntax error bad function name
echo before
a.b() { echo dotted; }
#### syntax error double bang
! ! true; echo $?
#### syntax error bang after pipe
true | ! false; echo $?
#### bang as an argument
echo !; echo a ! b
