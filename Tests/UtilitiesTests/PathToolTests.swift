// PathToolTests.swift — realpath and readlink against GNU coreutils in the fixtures' directory
// (which has no symbolic links, like the guest's file system): ".", "..", repeated slashes,
// missing components under each of -e, -m and the default, files used as directories.
import Foundation
import Testing
import Utilities

let pathNames = [".", "..", "lines", "dir", "dir/", "dir/..", "dir/../lines", "./dir//.", "missing", "missing/x", "missing/..",
                 "lines/x", "lines/..", "lines/.", "/", "//", "///tmp/../", "/nonexistent-dir/x", "dir/missing", ""]

let pathCases: [Case] = pathNames.flatMap { name in
    [["realpath"], ["realpath", "-e"], ["realpath", "-m"], ["realpath", "-q"], ["readlink"], ["readlink", "-f"], ["readlink", "-e"],
     ["readlink", "-m"], ["readlink", "-v"], ["readlink", "-f", "-v"]].map { Case(tool: $0[0], arguments: Array($0.dropFirst()) + [name], stdin: nil) }
} + [
    c("realpath", "lines", "missing", "dir"), c("realpath", "-z", "lines", "dir"), c("realpath"), c("realpath", "-x", "a"),
    c("readlink"), c("readlink", "-n", "-f", "lines"), c("readlink", "-n", "-f", "lines", "dir"), c("readlink", "-f", "-z", "dir", "lines"),
    c("realpath", "missing", exactError: true), c("readlink", "-ev", "missing", exactError: true),
]

@Suite struct PathToolDifferentialTests {
    @Test(arguments: pathCases) func pathTool(_ t: Case) throws { try compareWithGNU(t) }
}
