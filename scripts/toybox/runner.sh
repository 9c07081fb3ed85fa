#!/bin/sh
# runner.sh — runs toybox 0.8.9's own test files (tests/NAME.test) in a POSIX shell, for the
# utilities named, against the programs found in PATH: GNU's on the host (the baseline), ours in
# the guest (issue 13). toybox's runner (scripts/runtest.sh, scripts/test.sh) needs bash; this is
# our reading of the subset the test files use, in POSIX sh:
#   testing NAME COMMAND EXPECTED INFILE STDIN   EXPECTED and INFILE are `echo -ne` strings
#       (INFILE, when not empty, is written to ./input); COMMAND is eval'ed with STDIN on its
#       standard input; the case passes when its standard output is EXPECTED byte for byte (with
#       NOSPACE set: ignoring white space, as runtest.sh's diff -w). A status above 128 adds
#       "exited with signal" to the output, as runtest.sh does.
#   testcmd NAME ARGS …   testing with "$C ARGS" ($C: the utility's path).
#   optional FLAG         toybox's build options: none are known here, so it skips nothing
#                         (runtest.sh with OPTIONFLAGS blank).
#   skipnot COMMAND…      skips the next case unless COMMAND succeeds.
#   toyonly COMMAND…      runs COMMAND, skipping the next case unless $C says it is toybox (ours and
#                         GNU's never do).
#   txpect …              interactive cases (fifos and bash's read -t): counted as skipped.
# Each utility's file is sourced in a subshell (a file may `exit`), in a fresh ./NAME/testdir, with
# C, CMDNAME, FILES (tests/files) and LC_COLLATE=C set as scripts/test.sh sets them. The expected
# and actual outputs are kept beside testdir, in ./NAME (as runtest.sh keeps them in $TESTDIR),
# out of the way of cases that list or search their directory.
# Output: one line per case, "PASS: NAME CASE", "FAIL: NAME CASE" or "SKIP: NAME CASE", then per
# utility "TOTAL: NAME PASSED FAILED SKIPPED".
# Usage: runner.sh TESTS_DIR SCRATCH_DIR UTILITY…
# Set VERBOSE=1 to get each failure's expected and actual output.

TESTS=$1 SCRATCH=$(cd "$2" && pwd) || exit 1
shift 2
export FILES="$TESTS/files" LC_COLLATE=C

# `echo -ne TEXT` as bash does it, for the escapes the files use: printf %b is POSIX's
# (\\ \a \b \c \f \n \r \t \v \0NNN); \e is added.
echo_ne() {
  case $1 in
    *'\e'*) printf '%b' "$(printf '%s' "$1" | sed 's/\\e/\\033/g')" ;;
    *) printf '%b' "$1" ;;
  esac
}

# bash's echo, which the files call with -n and -e (dash's prints "-ne"): leading words made of
# n, e and E only are options; -e interprets the escapes as echo_ne does.
echo() {
  _n= _e=
  while [ $# -gt 0 ]; do
    case $1 in
      -|-*[!neE]*) break ;;
      -*) case $1 in *n*) _n=1 ;; esac
          case $1 in *E) _e= ;; *e*) _e=1 ;; esac ;;
      *) break ;;
    esac
    shift
  done
  if [ -n "$_e" ]; then echo_ne "$*"; else printf '%s' "$*"; fi
  [ -n "$_n" ] || printf '\n'
}

report() {  # report RESULT NAME
  echo "$1: $2"
  case $1 in
    PASS) PASSED=$((PASSED + 1)) ;;
    FAIL) FAILED=$((FAILED + 1)) ;;
    SKIP) SKIPPED=$((SKIPPED + 1)) ;;
  esac
}

testing() {
  NAME="$CMDNAME $1"
  [ -z "$1" ] && NAME=$2
  if [ $# -ne 5 ]; then
    report FAIL "$NAME (wrong number of arguments: $#)"
    return 0
  fi
  if [ "$SKIP" -gt 0 ]; then
    report SKIP "$NAME"
    SKIP=$((SKIP - 1))
    return 0
  fi
  echo_ne "$3" > "$RESULTS/expected"
  if [ -n "$4" ]; then echo_ne "$4" > input; else remove_input; fi
  echo_ne "$5" | eval "$2" > "$RESULTS/actual"
  RETVAL=$?
  [ $RETVAL -gt 128 ] && echo "exited with signal (or returned $RETVAL)" >> "$RESULTS/actual"
  if [ -n "$NOSPACE" ]; then
    diff -w "$RESULTS/expected" "$RESULTS/actual" > /dev/null 2>&1
  else
    cmp -s "$RESULTS/expected" "$RESULTS/actual"
  fi
  if [ $? -eq 0 ]; then
    report PASS "$NAME"
  else
    report FAIL "$NAME"
    if [ -n "$VERBOSE" ]; then
      echo "--- expected"; od -c "$RESULTS/expected" | head -n 20
      echo "--- actual"; od -c "$RESULTS/actual" | head -n 20
    fi
  fi
  remove_input
  return 0
}

# rm -f input, without a process when there is none (most cases have no input file): a case
# costs a process for its command and one for cmp, and in the guest a process is most of a case.
remove_input() {
  if [ -e input ] || [ -h input ]; then rm -f input; fi
}

testcmd() {
  if [ $# -ne 5 ]; then
    report FAIL "$CMDNAME $1 (wrong number of arguments: $#)"
    return 0
  fi
  X=$1
  [ -z "$X" ] && X="$CMDNAME $2"
  testing "$X" "\"$C\" $2" "$3" "$4" "$5"
}

optional() {
  SKIP=0
}

skipnot() {
  eval "$@" > /dev/null 2>&1 || { SKIP=$((SKIP + 1)); return 1; }
}

toyonly() {
  case "$("$C" --version 2>/dev/null)" in
    toybox*|"This is not GNU"*) ;;
    *) [ "$SKIP" -eq 0 ] && SKIP=1 ;;
  esac
  "$@"
}

txpect() {
  report SKIP "$CMDNAME $1 (txpect: interactive)"
}

for UTILITY in "$@"; do
  FILE="$TESTS/$UTILITY.test"
  [ -f "$FILE" ] || { echo "TOTAL: $UTILITY 0 0 0 (no test file)"; continue; }
  rm -rf "$SCRATCH/$UTILITY" && mkdir -p "$SCRATCH/$UTILITY/testdir" || exit 1
  (
    cd "$SCRATCH/$UTILITY/testdir" || exit 1
    CMDNAME=$UTILITY RESULTS="$SCRATCH/$UTILITY"
    C=$(command -v "$UTILITY")
    PASSED=0 FAILED=0 SKIPPED=0 SKIP=0 FAILCOUNT=0
    # the counts survive an `exit` in the file: written after every case by an EXIT trap
    trap 'echo "TOTAL: $CMDNAME $PASSED $FAILED $SKIPPED"' EXIT
    . "$FILE"
  ) < /dev/null
  cd "$SCRATCH" || exit 1
  rm -rf "$SCRATCH/$UTILITY"
done
