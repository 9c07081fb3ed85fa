// InitrdCommand.swift — `swiftvm initrd OUT FILE...`: pack programs into an initial ramdisk archive.
import ArgumentParser
import Glibc
import HostSupport
import Initrd

struct InitrdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "initrd",
        abstract: "Pack files into an initial ramdisk (format: Guest/ABI/include/sv_initrd.h).")

    @Argument(help: "The archive to write.") var output: String
    @Argument(help: "Files to pack; each is stored under its base name, or NAME=PATH.") var files: [String]

    func run() throws {
        var entries: [(name: [UInt8], contents: [UInt8])] = []
        for spec in files {
            let name: String, path: String
            if let eq = spec.firstIndex(of: "=") {
                name = String(spec[..<eq]); path = String(spec[spec.index(after: eq)...])
            } else {
                name = lastPathComponent(spec); path = spec
            }
            let data: [UInt8]
            do { data = try readFile(path) } catch {
                throw ValidationError("\(path): cannot read file")
            }
            entries.append((Array(name.utf8), data))
        }
        let archive: [UInt8]
        do { archive = try InitrdFormat.build(entries) } catch {
            throw ValidationError("\(output): \(error)")
        }
        // Write to a temporary file and rename, so a failure never leaves a half-written archive.
        let temp = output + ".tmp-\(getpid())"
        do { try writeFile(temp, archive) } catch {
            unlink(temp)
            throw ValidationError("\(output): cannot write")
        }
        guard rename(temp, output) == 0 else {
            unlink(temp)
            throw ValidationError("\(output): cannot rename into place: \(String(cString: strerror(errno)))")
        }
    }
}
