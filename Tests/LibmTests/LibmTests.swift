// LibmTests.swift — the guest's math library (musl 1.2.3's libm objects and our fixes.c, fetched and
// built by scripts/fetch-libm.sh during `make`) against the host's glibc libm on a million inputs
// per function: libmcheck.c, built here with the host's cc, links both and compares them.
import Foundation
import Testing
import TestSupport

/// Functions whose result is exact (C11 F.10: no rounding), which must agree bit for bit.
private let exact: Set<String> = ["sqrt", "floor", "ceil", "trunc", "round", "rint", "nearbyint", "fabs", "logb",
                                  "fmod", "remainder", "copysign", "nextafter", "fmin", "fmax", "fdim",
                                  "frexp", "ldexp", "scalbn", "ilogb", "modf"]
private let rounded: Set<String> = ["sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh",
                                    "acosh", "atanh", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p",
                                    "erf", "erfc", "cbrt", "atan2", "pow", "hypot"]

/// Every function: no Annex F special-value disagreement; exact ones identical; the others within 1
/// ulp of glibc, or — where they differ by more — at least as close as glibc to the true value
/// (glibc's long double function, 11 bits more precise).
@Test func libmMatchesGlibcOnAMillionInputsPerFunction() throws {
    let object = try RepositoryPaths.requireBuilt("libm/musl-host.o")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("libmcheck-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let tests = RepositoryPaths.root.appendingPathComponent("Tests/LibmTests").path
    let fixes = RepositoryPaths.root.appendingPathComponent("Guest/Libraries/LibM/fixes.c").path
    // fixes.c with the musl_ names of the host object (scripts/fetch-libm.sh renames them so).
    let renames = ["acosh", "__musl_acosh", "sinh", "sinhl", "tanh", "tanhl", "erfc", "erfcl"].map { "-D\($0)=musl_\($0)" }
    let compile = try Subprocess.run("/usr/bin/cc", ["-O2", "-fno-builtin"] + renames + ["-c", fixes, "-o", dir + "/fixes.o"], timeout: 120)
    #expect(compile.status == 0, "\(compile.stderr)")
    let link = try Subprocess.run("/usr/bin/cc", ["-O2", "-fno-builtin", "-no-pie", "-o", dir + "/libmcheck", tests + "/libmcheck.c",
                                                  dir + "/fixes.o", object, "-lm"], timeout: 120)
    #expect(link.status == 0, "\(link.stderr)")
    let run = try Subprocess.run(dir + "/libmcheck", ["1000000", "1"], timeout: 600)
    #expect(run.status == 0 && run.stdout.contains("libmcheck: done"), "\(run.stdout)\(run.stderr)")
    var seen: Set<String> = []
    for line in run.stdout.split(separator: "\n") where !line.hasPrefix("libmcheck:") {
        let f = line.split(separator: " ").map(String.init)
        func field(_ key: String) -> String? { f.firstIndex(of: key).flatMap { $0 + 1 < f.count ? f[$0 + 1] : nil } }
        guard let name = f.first, let inputs = field("inputs").flatMap({ Int($0) }),
              let maxulp = field("maxulp").flatMap({ Double($0) }), let over = field("over").flatMap({ Int($0) }),
              let special = field("special").flatMap({ Int($0) }) else {
            Issue.record("unreadable line: \(line)"); continue
        }
        seen.insert(name)
        #expect(inputs >= 999_000, "\(line)")   // a million random inputs (signaling NaNs left out) plus the special values
        #expect(special == 0, "special values: \(line)")
        if exact.contains(name) {
            #expect(maxulp == 0, "exact function: \(line)")
        } else {
            #expect(over == 0, "more than 1 ulp from glibc and less accurate: \(line)")
        }
    }
    #expect(seen == exact.union(rounded), "functions checked: \(seen.sorted())")
}
