#### output redirect
echo hello > o.txt; cat o.txt
#### append
echo a > o.txt; echo b >> o.txt; cat o.txt
#### input redirect
cat < a.txt
#### stderr to stdout
ls nonexistent-file 2>&1 | sed 's/.*nonexistent.*/err/'
#### stderr to devnull
ls nonexistent-file 2>/dev/null; echo $?
#### dup stdout to stderr and back
{ echo to-err >&2; } 2>&1
#### close stdout
echo closed >&-; echo $?
#### noclobber
set -C; echo a > f1; echo b > f1; echo $?; cat f1; echo c >| f1; cat f1
#### read write
echo data > rw.txt; cat <> rw.txt
#### redirect order matters
ls nonexistent-file 2>&1 >/dev/null | wc -l
#### fd 3
exec 3> three.txt; echo via3 >&3; exec 3>&-; cat three.txt
#### exec redirect stdout
exec > log.out; echo logged; exec >/dev/tty 2>/dev/null || true
#### redirect on compound
{ echo x; echo y; } > g.txt; wc -l < g.txt
#### redirect on loop
for i in 1 2 3; do echo $i; done > loop.txt; cat loop.txt
#### here document
cat <<EOF
line one
  line two
EOF
#### here document with expansion
name=World; cat <<EOF
Hello, $name! $(echo sub) $((1+1))
EOF
#### here document quoted delimiter
name=World; cat <<'EOF'
Hello, $name! $(echo sub)
EOF
#### here document strip tabs
cat <<-EOF
	tabbed
		twice
	EOF
#### here document backslashes
cat <<EOF
a\$b \\ \x
EOF
#### two here documents
cat <<A; cat <<B
first
A
second
B
#### here document in function
f() { cat <<EOF
in function $1
EOF
}; f arg
#### here document to file
cat > gen.txt <<EOF
generated $((2*3))
EOF
cat gen.txt
#### here document in pipeline
cat <<EOF | tr a-z A-Z
upper me
EOF
#### here document in loop
for i in 1 2; do cat <<EOF
iter $i
EOF
done
#### here document double quoted delimiter
cat <<"END"
$HOME
END
#### missing input file
cat < missing.txt; echo "st=$?"
#### redirect to directory fails
echo x > emptydir; echo "st=$?"
#### redirect without command creates file
> created.txt; ls created.txt
#### redirect in middle of command
echo a > mid.txt b; cat mid.txt
#### input from dev null
cat < /dev/null; echo empty
#### builtin redirect restored
echo one > r1.txt; echo two; cat r1.txt
#### pipe stderr
{ echo out; echo err >&2; } 2>&1 | sort
#### dup input
exec 4< a.txt; read line <&4; echo $line; read line <&4; echo $line
#### bad fd
echo x >&7; echo "st=$?"
#### exec fd inherited by children
exec 3> f3; sh -c 'echo via-child >&3'; exec 3>&-; cat f3
#### exec input fd inherited
exec 3< a.txt; sh -c 'head -1 <&3'
