// DifferentialTests.swift — every corpus case: swiftvm-sh must match dash (stdout byte for byte,
// stderr empty or not, exit status), except the few documented allowed differences.
import Foundation
import Testing

@Suite struct DifferentialTests {
    @Test func corpusIsLarge() {
        #expect(Corpus.cases.count >= 200, "corpus has \(Corpus.cases.count) cases")
        #expect(allowedDifferences.count <= 5)
    }

    @Test func binaryIsBuilt() {
        #expect(access(ShellRunner.swiftvmSh, X_OK) == 0, "\(ShellRunner.swiftvmSh) missing: swift build --product swiftvm-sh")
    }

    @Test(arguments: Corpus.cases)
    func matchesDash(_ c: CorpusCase) throws {
        let (d, o) = try ShellRunner.compare(c.name, Data(c.script.utf8))
        if let reason = allowedDifferences[c.name] {
            #expect(o.status < 128, "\(c.name) (allowed difference: \(reason)) crashed: \(o.summary)")
            return
        }
        #expect(d.matches(o), "\(c.name)\n  dash:       \(d.summary)\n  swiftvm-sh: \(o.summary)")
    }
}
