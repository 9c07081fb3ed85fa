// Bench.swift — `swiftvm image bench DIR`: the issue's benchmark. The same workloads run through
// the RedoxFS library on a file-backed image and on a plain host directory, in the same run:
// 10,000 small files, one 256 MiB file written and read sequentially, and 4 KiB random overwrites.
// Commits (RedoxFS) and fsync/syncfs (host) happen at the same points, so both pay for durability.
import Glibc
import HostSupport
import RedoxFS

/// syncfs(2): Glibc's module map hides it (it needs _GNU_SOURCE).
@_silgen_name("syncfs") func syncfs(_ fd: Int32) -> Int32

public enum ImageBench {
    static func seconds(_ body: () throws(ImageToolError) -> Void) throws(ImageToolError) -> Double {
        var a = timespec(), b = timespec()
        clock_gettime(CLOCK_MONOTONIC, &a)
        try body()
        clock_gettime(CLOCK_MONOTONIC, &b)
        return Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) / 1e9
    }

    static func check(_ ok: Bool, _ what: String) throws(ImageToolError) {
        if !ok { throw ImageToolError("bench: \(what)") }
    }

    @discardableResult
    static func fs<R>(_ body: () throws(FSError) -> R) throws(ImageToolError) -> R {
        do { return try body() } catch { throw ImageToolError("bench: \(error)") }
    }

    public static func run(directory: String, fileCount: Int, megabytes: Int, overwrites: Int) throws(ImageToolError) {
        let work = directory + "/swiftvm-bench-\(getpid())"
        let hostDir = work + "/host"
        let image = work + "/bench.img"
        try check(mkdir(work, 0o755) == 0 && mkdir(hostDir, 0o755) == 0, "cannot create \(work)")
        defer { removeTree(work) }
        let fileBytes = megabytes << 20
        try ImageTool.create(image, size: UInt64(fileBytes) * 2 + UInt64(fileCount) * 16384 + (64 << 20))
        let rfs = try ImageTool.open(image, writable: true)
        var rows: [(String, String, Double, Double)] = []
        let small = [UInt8](repeating: 0x61, count: 1024)
        let commitEvery = 1000

        // 1. Small files: create + write 1 KiB, committed (RedoxFS) / syncfs'd (host) every 1000.
        let rSmall = try seconds { () throws(ImageToolError) in
            try fs { () throws(FSError) in try rfs.makeDirectory(Array("/small".utf8)) }
            for i in 0..<fileCount {
                try fs { () throws(FSError) in
                    let id = try rfs.createFile(Array("/small/f\(i)".utf8))
                    try rfs.write(id: id, at: 0, small)
                    if (i + 1) % commitEvery == 0 { try rfs.commit() }
                }
            }
            try fs { () throws(FSError) in try rfs.commit() }
        }
        try check(mkdir(hostDir + "/small", 0o755) == 0, "mkdir")
        let dirfd = open(hostDir, O_RDONLY)
        defer { close(dirfd) }
        let hSmall = try seconds { () throws(ImageToolError) in
            for i in 0..<fileCount {
                let fd = open(hostDir + "/small/f\(i)", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                try check(fd >= 0, "create host file")
                _ = small.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
                close(fd)
                if (i + 1) % commitEvery == 0 { _ = syncfs(dirfd) }
            }
            _ = syncfs(dirfd)
        }
        rows.append(("create \(fileCount) files of 1 KiB", "files/s", Double(fileCount) / rSmall, Double(fileCount) / hSmall))

        // 2. Sequential write in 1 MiB pieces, committed every 32 MiB (RedoxFS keeps a transaction
        //    in memory) and at the end; host: fsync at the end.
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for i in 0..<chunk.count { chunk[i] = UInt8(truncatingIfNeeded: i &* 7 &+ i >> 9) }
        let chunks = fileBytes >> 20
        let rid = try fs { () throws(FSError) in try rfs.createFile(Array("/big".utf8)) }
        let rWrite = try seconds { () throws(ImageToolError) in
            for c in 0..<chunks {
                try fs { () throws(FSError) in
                    try rfs.write(id: rid, at: UInt64(c << 20), chunk)
                    if (c + 1) % 32 == 0 { try rfs.commit() }
                }
            }
            try fs { () throws(FSError) in try rfs.commit() }
        }
        let hfd = open(hostDir + "/big", O_RDWR | O_CREAT | O_TRUNC, 0o644)
        defer { close(hfd) }
        let hWrite = try seconds { () throws(ImageToolError) in
            for c in 0..<chunks {
                let n = chunk.withUnsafeBytes { pwrite(hfd, $0.baseAddress!, $0.count, off_t(c << 20)) }
                try check(n == chunk.count, "host write")
            }
            fsync(hfd)
        }
        rows.append(("sequential write \(megabytes) MiB", "MB/s", Double(fileBytes) / 1e6 / rWrite, Double(fileBytes) / 1e6 / hWrite))

        // 3. Sequential read (both through the host page cache), verifying the bytes.
        let rRead = try seconds { () throws(ImageToolError) in
            for c in 0..<chunks {
                let got = try fs { () throws(FSError) in try rfs.read(id: rid, at: UInt64(c << 20), count: 1 << 20) }
                try check(got == chunk, "RedoxFS read back wrong data")
            }
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        let hRead = try seconds { () throws(ImageToolError) in
            for c in 0..<chunks {
                let n = buffer.withUnsafeMutableBytes { pread(hfd, $0.baseAddress!, $0.count, off_t(c << 20)) }
                try check(n == buffer.count && buffer == chunk, "host read back wrong data")
            }
        }
        rows.append(("sequential read \(megabytes) MiB", "MB/s", Double(fileBytes) / 1e6 / rRead, Double(fileBytes) / 1e6 / hRead))

        // 4. 4 KiB overwrites at random 4 KiB-aligned offsets, committed / fsync'd every 100.
        var rng = SystemRandomNumberGenerator()
        let offsets = (0..<overwrites).map { _ in UInt64.random(in: 0..<UInt64(fileBytes / 4096), using: &rng) * 4096 }
        let page = [UInt8](repeating: 0x5a, count: 4096)
        let rRandom = try seconds { () throws(ImageToolError) in
            for (i, off) in offsets.enumerated() {
                try fs { () throws(FSError) in
                    try rfs.write(id: rid, at: off, page)
                    if (i + 1) % 100 == 0 { try rfs.commit() }
                }
            }
            try fs { () throws(FSError) in try rfs.commit() }
        }
        let hRandom = try seconds { () throws(ImageToolError) in
            for (i, off) in offsets.enumerated() {
                _ = page.withUnsafeBytes { pwrite(hfd, $0.baseAddress!, $0.count, off_t(off)) }
                if (i + 1) % 100 == 0 { fsync(hfd) }
            }
            fsync(hfd)
        }
        rows.append(("random 4 KiB overwrites (\(overwrites), sync every 100)", "ops/s", Double(overwrites) / rRandom,
                     Double(overwrites) / hRandom))

        let report = try fs { () throws(FSError) in try rfs.check() }
        try check(report.isClean, "fsck after the benchmark: \(report.problems.first?.description ?? "")")

        print("workload                                          unit        RedoxFS     host dir   RedoxFS/host")
        for (name, unit, r, h) in rows {
            func f(_ v: Double) -> String { formatFixed(v, fractionDigits: 1, width: 11) }
            print(padded(name, to: 50) + padded(unit, to: 8)
                  + f(r) + "  " + f(h) + "  " + formatFixed(r / h, fractionDigits: 2, width: 9))
        }
        print("(image and host directory both on \(directory); fsck of the image afterwards: clean)")
    }
}
