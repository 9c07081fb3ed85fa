// LibraryListTests.swift — qXfer:libraries:read (gdb manual "Library List Format") and the `library`
// stop reply: what a target that reports its loaded programs sends gdb, and that a target without
// them offers nothing.
import Testing
@testable import GDBStub
import GDBStubTestSupport

@Suite struct LibraryListTests {
    @Test func parsesTheLibrariesRead() {
        #expect(Command.parse(bytes("qXfer:libraries:read::0,ffb")) == .readLibraries(offset: 0, length: 0xffb))
        #expect(Command.parse(bytes("qXfer:libraries:read::1a,10")) == .readLibraries(offset: 0x1a, length: 0x10))
        if case .malformed = Command.parse(bytes("qXfer:libraries:read::zz")) {} else { Issue.record("bad offset accepted") }
        if case .malformed = Command.parse(bytes("qXfer:libraries:read::0,10,3")) {} else { Issue.record("trailing bytes accepted") }
    }

    @Test func offeredOnlyWhenTheTargetReportsLibraries() {
        let plain = Harness()
        #expect(!plain.request("qSupported:swbreak+").contains("qXfer:libraries:read+"))
        #expect(plain.request("qXfer:libraries:read::0,fff") == "")
        let h = Harness()
        h.target.loadedLibraries = []
        #expect(h.request("qSupported:swbreak+").hasSuffix(";qXfer:libraries:read+"))
        #expect(h.request("qXfer:libraries:read::0,fff") == "l<library-list></library-list>")
    }

    @Test func documentNamesEachFileAndItsSegment() {
        let h = Harness()
        h.target.loadedLibraries = [LoadedLibrary(path: "/b/ls.elf", segmentAddress: 0x400000),
                                    LoadedLibrary(path: "/x/a&b\"<'>.elf", segmentAddress: 0x1000)]
        let expected = #"<library-list><library name="/b/ls.elf"><segment address="0x400000"/></library>"#
            + #"<library name="/x/a&amp;b&quot;&lt;&apos;&gt;.elf"><segment address="0x1000"/></library></library-list>"#
        #expect(h.request("qXfer:libraries:read::0,fff") == "l" + expected)
        // Read in 16-byte pieces, as gdb does with a small packet size: m…m…l, concatenated = whole.
        var whole = "", offset = 0
        while true {
            let r = h.request("qXfer:libraries:read::\(String(offset, radix: 16)),10")
            whole += r.dropFirst()
            offset += r.count - 1
            if r.hasPrefix("l") { break }
            #expect(r.hasPrefix("m") && r.count == 17)
        }
        #expect(whole == expected)
        #expect(h.request("qXfer:libraries:read::\(String(expected.utf8.count + 1, radix: 16)),10") == "E22")
    }

    @Test func aLibraryChangeIsALibraryStop() {
        let h = Harness()
        let reply = String(decoding: h.session.stopReply(StopEvent(thread: ThreadID(7), reason: .librariesChanged)), as: UTF8.self)
        #expect(reply == "T05library:;thread:7;")
    }

    @Test func controlCharactersNeverReachTheXML() {
        #expect(LibraryList.escape("a\u{1}b\nc") == "a?b?c")
    }
}
