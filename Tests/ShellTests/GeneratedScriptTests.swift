// GeneratedScriptTests.swift — differential fuzzing by grammar: random but well-formed scripts
// (expansions, quoting, compound commands, builtins) built from a fixed seed, each run by dash
// and swiftvm-sh; like the corpus, output, stderr-emptiness and status must match.
import Foundation
import Testing

enum ScriptGenerator {
    static let seed: UInt64 = 0x5348_454C_4C5F_4745   // fixed: the same scripts every run
    static let count = 150

    static let words = [
        "a", "\"a b\"", "'c d'", "\"\"", "x*", "1", "42", "-3", "\"$x\"", "$y", "\"${x:-def}\"", "${y#a}", "$((x+1))",
        "\"$(echo s)\"", "`echo t`", "$1", "\"$@\"", "$*", "$#", "${#x}", "\\$", "\"\\\"\"", "'\\''", "*.txt", "?", "[ab]*",
        "~", "${z:=7}", "${x%?}", "\"$(printf \"%s-\" 1 2)\"", "\"$@\"x", "${x:+\"$x\"}", "${@:-e}", "'$x'\"$y\"", "\\*",
        "\"${x#a}\"", "$(echo $x)", "\"${#}\"", "${x:-$(echo q)}", "a${y}b", "\"$*\"", "${1+\"$@\"}", "$(( ${#x} * 2 ))",
    ]
    static let statements = [
        "set -e; false || echo guarded", "trap \"echo trapped \\$?\" EXIT", "ls nonexist 2>&1 | wc -l",
        "echo $?; false; echo $?", "shift; echo \"$#:$*\"",
        "n=0; while [ $n -lt 3 ]; do n=$((n+1)); [ $n = 2 ] && continue; echo n$n; done",
        "for q in a b c; do [ $q = b ] && break; echo $q; done", "eval 'echo ev \"$x\"'", "export x; sh -c \"echo child:\\$x\"",
        "unset x; echo \"[${x-unset}]\"", ": $((x += 2)); echo $x", "p=/a/b.c; echo ${p##*/} ${p%.*} ${p#/}",
        "test -f a.txt && echo file", "echo [!a]*", "h() { local x=loc; echo $x; }; h; echo $x",
        "OPTIND=1; set -- -a -b v; while getopts ab: o; do echo \"$o${OPTARG:+=$OPTARG}\"; done",
        "printf \"%s\\n\" 3 1 2 | sort | while read v; do echo v$v; done", "(exit 3); echo $?", "x=$(false); echo $?",
        "v=\"a:b:c\"; IFS=:; set -- $v; unset IFS; echo $# $2", "echo out > o.f; cat < o.f; echo more >> o.f; wc -l < o.f",
        "case $x in [0-9]*) echo num;; \"\") echo empty;; *) echo str;; esac", "w=$(echo \"a  b\"); echo $w \"$w\"",
        "{ echo e1 >&2; echo o1; } 2>/dev/null", "trap \"echo t1\" USR1; kill -USR1 $$",
    ]

    static func script(_ index: Int) -> String {
        var rng = SplitMix64(state: seed &+ UInt64(index) &* 0x9E37_79B9)
        func pick<T>(_ a: [T]) -> T { a[rng.below(a.count)] }
        func word() -> String { pick(ScriptGenerator.words) }
        func wordList(_ most: Int) -> String { (0..<rng.below(most + 1)).map { _ in word() }.joined(separator: " ") }
        func simple() -> String {
            switch rng.below(13) {
            case 0: return "\(pick(["x", "y", "z"]))=\(word())"
            case 1: return "echo \(word()) \(wordList(2))"
            case 2: return "printf \"[%s]\" \(word()) \(wordList(2)); echo"
            case 3: return "set -- \(wordList(3))"
            case 4: return "[ \(word()) = \(word()) ] && echo eq || echo ne"
            case 5: return "\(pick(["x", "y"]))=$(( \(rng.below(25) - 5) \(pick(["+", "-", "*", "/", "%", "<<", "&", "|", "^", "<", "==", "&&", "||"])) \(1 + rng.below(8)) ))"
            case 6: return "case \(word()) in \(word())) echo c1;; *) echo c2;; esac"
            case 7: return "for i in \(wordList(3)); do echo \"<$i>\"; done"
            case 8: return "f() { echo \"f:$#:$1\"; return \(rng.below(4)); }; f \(word()) \(word()); echo $?"
            case 9: return "echo \(word()) | { read a b; echo \"$a|$b\"; }"
            case 10: return "IFS=\(pick(["' '", ":", "''", "', '"])); echo \(word()) $x; unset IFS"
            case 11: return pick(statements)
            default: return "if \(pick(["true", "false", "[ -n \"$x\" ]"])); then echo yes; else echo no; fi"
            }
        }
        func compound(_ depth: Int) -> String {
            let body = (0..<(1 + rng.below(3))).map { _ in depth > 1 || rng.below(3) != 0 ? simple() : compound(depth + 1) }
                .joined(separator: "; ")
            switch rng.below(9) {
            case 0: return "( \(body) )"
            case 1: return "{ \(body); }"
            case 2: return "if \(simple()); then \(body); fi"
            case 3: return "for j in 1 2; do \(body); done"
            case 4: return "\(body) | cat"
            case 5: return "x=$( \(body) ); echo \"[$x]\""
            case 6: return "g() { \(body); }; g a b"
            case 7: return "cat <<EOF\n\(word()) $x ${y:-u}\nEOF\n\(body)"
            default: return "\(simple()) && \(simple()) || \(simple())"
            }
        }
        return (0..<(1 + rng.below(7))).map { _ in rng.below(2) == 0 ? compound(0) : simple() }.joined(separator: "\n") + "\n"
    }
}

@Suite struct GeneratedScriptTests {
    @Test(arguments: 0..<ScriptGenerator.count)
    func matchesDash(_ index: Int) throws {
        let script = ScriptGenerator.script(index)
        let (d, o) = try ShellRunner.compare("generated-\(index)", Data(script.utf8))
        #expect(d.matches(o), "generated script #\(index):\n\(script)\n  dash:       \(d.summary)\n  swiftvm-sh: \(o.summary)")
    }
}
