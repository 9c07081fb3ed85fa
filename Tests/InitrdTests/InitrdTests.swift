// InitrdTests.swift — the initrd archive: round trip, and rejection of malformed archives.
import Initrd
import Testing

func entries(_ bytes: [UInt8]) -> Result<[InitrdEntry], InitrdError> {
    bytes.withUnsafeBytes { b in Result { () throws(InitrdError) in try InitrdFormat.entries(of: b) } }
}

@Test func roundTrip() throws {
    let files: [(name: [UInt8], contents: [UInt8])] = [
        (Array("init".utf8), [1, 2, 3]), (Array("hello".utf8), Array(repeating: 7, count: 5000)), (Array("empty".utf8), []),
    ]
    let archive = try InitrdFormat.build(files)
    let parsed = try entries(archive).get()
    #expect(parsed.count == 3)
    for (e, f) in zip(parsed, files) {
        #expect(e.name == f.name)
        #expect(Array(archive[e.offset..<(e.offset + e.size)]) == f.contents)
        #expect(e.offset % 8 == 0)
    }
}

@Test func rejectsBadNames() {
    #expect(throws: InitrdError.badName(index: 0)) { try InitrdFormat.build([(Array("a/b".utf8), [])]) }
    #expect(throws: InitrdError.badName(index: 0)) { try InitrdFormat.build([([], [])]) }
    #expect(throws: InitrdError.badName(index: 0)) { try InitrdFormat.build([(Array(repeating: 65, count: 48), [])]) }
    #expect(throws: InitrdError.duplicateName(index: 1)) { try InitrdFormat.build([(Array("x".utf8), []), (Array("x".utf8), [])]) }
}

@Test func rejectsMalformedArchives() throws {
    let good = try InitrdFormat.build([(Array("init".utf8), [1, 2, 3, 4])])
    var truncated = good; truncated.removeLast()
    #expect(entries(truncated) == .failure(.sizeMismatch(header: UInt64(good.count), actual: good.count - 1)))
    var magic = good; magic[0] ^= 1
    #expect(entries(magic) == .failure(.badMagic))
    var version = good; version[8] = 9
    #expect(entries(version) == .failure(.unsupportedVersion(9)))
    var count = good; count[12] = 200
    #expect(entries(count) == .failure(.tooManyEntries(200)))
    var offset = good; offset[32 + 48] = 0xff; offset[32 + 49] = 0xff
    #expect(entries(offset) == .failure(.entryOutOfBounds(index: 0)))
    var size = good; size[32 + 63] = 0x80
    #expect(entries(size) == .failure(.entryOutOfBounds(index: 0)))
    var name = good; name[32 + 10] = 0x41   // non-NUL after NUL padding
    #expect(entries(name) == .failure(.badName(index: 0)))
    #expect(entries(Array(good[0..<10])) == .failure(.truncated))
}
