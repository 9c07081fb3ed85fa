// GuestCorpusDifferences.swift — the corpus cases where the guest's /bin/sh may differ from dash
// (GuestShellCorpusTests.swift runs every other case and requires a byte-for-byte match). Issue 12
// allows at most five, each with its reason; each is still checked to differ, so the list cannot
// outlive its reason unnoticed.
//
// On 8 December 2026 (shell speed work merged, 615 cases, GUEST_CORPUS_LIST=1) 611 matched dash;
// the fourth difference, `cd -` without OLDPWD, was the host side's: the `cd` that puts dash in
// the case's directory exported OLDPWD to it (now unset, as the guest's driver does).
extension GuestCorpus {
    static let knownDifferences: [String: String] = [
        "misc/test -L":
            "`ln -s` fails: the guest's file system (RedoxFS through fsd) makes no symbolic links yet (Utilities/Ln.swift: Operation not supported), so `[ -L link ]` is false",
        "misc/test -ef":
            "`ln` fails: no hard links either, for the same reason",
        "redirect/exec redirect stdout":
            "`exec >/dev/tty`: the guest routes /dev/tty to the console for every process (the kernel has no controlling terminal yet), where dash, run by the test without a terminal, gets ENXIO and, `exec` being a special builtin, exits with status 2",
    ]
}
