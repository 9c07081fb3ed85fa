// UtilitiesBootTests.swift — issue 13's tree, search and path utilities in the guest (grep, find,
// date, realpath, readlink, du): one boot runs a script of them, and the host runs the same script
// with GNU grep, findutils and coreutils under dash; the outputs must be identical. The absolute
// paths and block counts, which differ between the systems, are cut off before comparing; where
// the walk order is the file system's (grep -r, find, du), both sides pipe through sort: readdir's
// order differs between RedoxFS and the host's.
import Foundation
import TestSupport
import Testing

@Test func guestGrepAndFindMatchGNU() throws {
    let body = """
        mkdir -p t/sub/deep; mkdir t/empty; mkdir -p t/sub; echo "p $?"
        printf 'alpha\\nbeta foo\\ngamma\\n' > t/a.txt; printf 'foo\\nbar\\nFOO bar\\n' > t/sub/b.txt
        printf 'nothing here\\nfood\\n' > t/sub/deep/c.txt
        grep -n foo t/a.txt t/sub/b.txt; grep -c -i foo t/sub/b.txt; grep -E -o 'fo+|ba.' t/sub/b.txt
        grep -w foo t/sub/deep/c.txt; echo "w $?"; grep -A1 -n alpha t/a.txt; grep -v -x foo t/sub/b.txt
        grep -q zzz t/a.txt; echo "q $?"; grep foo missing; echo "missing $?"; grep -s foo missing; echo "s $?"
        grep -e alpha -e gamma t/a.txt; printf 'x\\ny\\n' | grep -H y; grep 'a\\{1' t/a.txt; echo "bad $?"
        grep -r foo t | sort; grep -rl o t | sort; grep -rc foo t | sort; (cd t && grep -r bar | sort)
        find t | sort; find t -name '*.txt' | sort; find t -type d | sort; find t -maxdepth 1 -type f
        find t -empty; find t -path '*deep*' -print | sort; find t -name sub -prune -o -type f -print | sort
        find t -type f -exec cat {} + | sort; find t -name c.txt -exec wc -l {} ';'; find t ! -type d -size -1 | sort
        find t/empty -delete; ls t; find missing; echo "find $?"; find t -bogus; echo "bogus $?"
        date -u -d @1234567890; date -u -d '2024-02-29 13:14:15' '+%F %T %j %u %V %s'; date -d @0 -R; date -d nonsense; echo "date $?"
        realpath t/sub/../a.txt | sed 's|.*/t/|T/|'; realpath -m t/x/../../y | sed 's|.*/|/|'; realpath t/missing/x; echo "rp $?"
        readlink t/a.txt; echo "rl $?"; readlink -f t/sub/deep/.. | sed 's|.*/t/|T/|'
        du -a t | cut -f2 | sort; du -s t > /dev/null; echo "du $?"; du missing; echo "du $?"
        """
    let scratch = NSTemporaryDirectory() + "utilities-tree-boot-\(getpid())"
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let host = try Subprocess.run("/usr/bin/env", ["LC_ALL=C", "/usr/bin/dash", "-c", "cd '\(scratch)' && " + body], timeout: 60)
    let guest = try GuestRun.run(["sh", "-c", "cd /tmp && " + body])
    #expect(guest.status == 0, "\(guest.stderr)")
    #expect(guest.stdout == host.stdout, "guest:\n\(guest.stdout)\nhost:\n\(host.stdout)")
    #expect(guest.stdout.contains("t/sub/b.txt:1:foo\n") && guest.stdout.contains("missing 2\n"), "\(guest.stdout)")
    // the same messages reach stderr on both sides (GNU's wording)
    for line in ["grep: missing: No such file or directory", "find: 'missing': No such file or directory", "find: unknown predicate `-bogus'", "date: invalid date 'nonsense'",
                 "du: cannot access 'missing': No such file or directory"] {
        #expect(guest.stderr.contains(line) && host.stderr.contains(line), "guest: \(guest.stderr)\nhost: \(host.stderr)")
    }
}
