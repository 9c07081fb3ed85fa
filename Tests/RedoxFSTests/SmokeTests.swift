// SmokeTests.swift — the end-to-end self test the guest can run.
import Testing
@testable import RedoxFS

@Test("the RAM-disk self test passes")
func selfTest() {
    #expect(RedoxFSSelfTest.run() == nil)
}
