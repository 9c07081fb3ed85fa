#### star
echo *
#### star txt
echo *.txt
#### question mark
echo ?.txt
#### bracket
echo [ab].txt
#### negated bracket
echo [!a].txt
#### range bracket
echo [a-b]*
#### no match stays
echo *.nomatch
#### quoted star literal
echo "*.txt" '*'
#### hidden files not matched
echo * | grep -c hidden
#### dot star matches hidden
echo .h*
#### subdirectory glob
echo sub/*
#### glob in middle
echo s*/*.txt
#### deep glob
echo */*/*
#### glob with variable
p='*.txt'; echo $p
#### quoted variable glob
p='*.txt'; echo "$p"
#### set -f disables glob
set -f; echo *.txt; set +f; echo *.log
#### glob in for loop
for f in *.txt; do echo "file: $f"; done
#### glob with spaces in names
for f in sp*; do echo "[$f]"; done
#### glob character class
echo [[:alpha:]].txt
#### glob trailing slash
echo s*/
#### glob absolute
echo /usr/bin/dash /bin/da?h | wc -w
#### escaped glob char
echo \*.txt
#### glob partially quoted
echo "a".t*
#### glob in case pattern vs file
case a.txt in *.txt) echo yes;; esac
#### glob no match in emptydir
echo emptydir/*
#### bracket with literal dash
echo [-a].txt
#### glob sorting
touch B.txt _x.txt 1.txt; echo *.txt
#### count matches
set -- *; echo $#
