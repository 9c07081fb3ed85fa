// SelfTest.swift — a small end-to-end run over a RAM disk. The guest can call it at boot; the
// embedded build compiles it, which specializes the generic filesystem for MemoryDevice and so
// proves the whole core builds in Embedded Swift.

public enum RedoxFSSelfTest {
    /// Formats a RAM disk, exercises files, directories, a snapshot and a remount, and runs fsck.
    /// Returns nil on success, or what went wrong.
    public static func run() -> String? {
        do throws(FSError) {
            let fs = try FileSystem.format(MemoryDevice(blocks: 1024), uuid: [UInt8](repeating: 7, count: 16))
            try fs.makeDirectory(Array("/etc".utf8))
            let id = try fs.createFile(Array("/etc/motd".utf8))
            var big = [UInt8](repeating: 0, count: 200_000)
            for i in 0..<big.count { big[i] = UInt8(truncatingIfNeeded: i &* 31) }
            try fs.write(id: id, at: 0, big)
            try fs.makeSymlink(Array("/motd".utf8), target: Array("etc/motd".utf8))
            try fs.commit()
            try fs.createSnapshot(Array("boot".utf8))
            try fs.truncate(id: id, size: 10)
            try fs.rename(Array("/etc/motd".utf8), Array("/motd2".utf8))
            try fs.commit()
            let again = try FileSystem.mount(fs.device)
            guard try again.read(id: again.lookup(Array("/motd2".utf8)), at: 0, count: 100) == Array(big[0..<10]) else {
                return "live data differs after remount"
            }
            let snap = try again.snapshot(Array("boot".utf8))
            guard try snap.read(id: snap.lookup(Array("/etc/motd".utf8)), at: 0, count: big.count) == big else {
                return "snapshot data differs"
            }
            try again.deleteSnapshot(Array("boot".utf8))
            let report = try again.check()
            if let p = report.problems.first { return p.description }
            return nil
        } catch {
            return error.description
        }
    }
}
