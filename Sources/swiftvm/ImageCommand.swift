// ImageCommand.swift — `swiftvm image …`: create, build, inspect and change RedoxFS images on the
// host (format: docs/REDOXFS-FORMAT.md). Each failure is one line naming the image and the path in
// it, with a non-zero exit; a failed command leaves the image as it was.
import ArgumentParser
import HostSupport
import ImageTool
import RedoxFS

struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Create, inspect and change RedoxFS filesystem images.",
        subcommands: [Create.self, Build.self, List.self, Cat.self, Put.self, Get.self, MakeDirectory.self,
                      Remove.self, Move.self, Info.self, Check.self, SnapshotCommand.self, Bench.self])
}

/// Runs a tool action; prints its error as one line and exits 1.
func runTool(_ body: () throws(ImageToolError) -> Void) throws {
    do { try body() } catch {
        writeStandardError("swiftvm image: \(error.description)\n")
        throw ExitCode(1)
    }
}

func parseSizeOption(_ text: String) throws -> UInt64 {
    guard let v = ImageTool.parseSize(text) else { throw ValidationError("bad size \"\(text)\" (use e.g. 64M, 1G, 4096)") }
    return v
}

extension ImageCommand {
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an empty image.")
        @Argument(help: "The image file to create (replaced if it exists).") var image: String
        @Option(help: "Image size, e.g. 64M or 1G.") var size: String
        func run() throws {
            let bytes = try parseSizeOption(size)
            try runTool { () throws(ImageToolError) in try ImageTool.create(image, size: bytes) }
        }
    }

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an image holding a host directory (files, directories, symlinks, modes, owners, times).")
        @Argument(help: "The image file to create (replaced if it exists).") var image: String
        @Option(help: "The host directory to copy.") var from: String
        @Option(help: "Image size (default: what the directory needs plus room).") var size: String?
        func run() throws {
            let bytes = try size.map(parseSizeOption)
            try runTool { () throws(ImageToolError) in try ImageTool.build(image, from: from, size: bytes) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a directory in the image.")
        @Argument var image: String
        @Argument var path: String = "/"
        @Flag(name: .short, help: "Long format: mode, links, owner, size, time.") var long = false
        @Option(help: "Read from this snapshot instead of the live tree.") var snapshot: String?
        func run() throws {
            try runTool { () throws(ImageToolError) in
                for line in try ImageTool.list(image, path: path, snapshot: snapshot, long: long) { print(line) }
            }
        }
    }

    struct Cat: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a file from the image to standard output.")
        @Argument var image: String
        @Argument var path: String
        @Option(help: "Read from this snapshot instead of the live tree.") var snapshot: String?
        func run() throws {
            try runTool { () throws(ImageToolError) in
                try ImageTool.read(image, path: path, snapshot: snapshot) { (piece: [UInt8]) throws(ImageToolError) in
                    // FileHandle trapped on a failed write; a one-line error is the tool's way.
                    do throws(SystemError) { try writeStandardOutput(piece) } catch {
                        throw ImageToolError("standard output: write failed: \(error.message)")
                    }
                }
            }
        }
    }

    struct Put: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Copy a host file into the image.")
        @Argument var image: String
        @Argument(help: "The host file.") var source: String
        @Argument(help: "Path in the image (a directory keeps the file's name).") var destination: String
        func run() throws {
            try runTool { () throws(ImageToolError) in try ImageTool.put(image, from: source, to: destination) }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Copy a file out of the image.")
        @Argument var image: String
        @Argument(help: "Path in the image.") var source: String
        @Argument(help: "The host file to write.") var destination: String
        @Option(help: "Read from this snapshot instead of the live tree.") var snapshot: String?
        func run() throws {
            try runTool { () throws(ImageToolError) in try ImageTool.get(image, path: source, to: destination, snapshot: snapshot) }
        }
    }

    struct MakeDirectory: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mkdir", abstract: "Create a directory in the image.")
        @Argument var image: String
        @Argument var path: String
        @Flag(name: .short, help: "Create missing parents; no error if it exists.") var parents = false
        func run() throws {
            try runTool { () throws(ImageToolError) in try ImageTool.makeDirectory(image, path: path, parents: parents) }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a file, symlink or directory.")
        @Argument var image: String
        @Argument var path: String
        @Flag(name: .short, help: "Remove directories and their contents.") var recursive = false
        func run() throws {
            try runTool { () throws(ImageToolError) in try ImageTool.remove(image, path: path, recursive: recursive) }
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mv", abstract: "Rename or move within the image.")
        @Argument var image: String
        @Argument var source: String
        @Argument var destination: String
        func run() throws {
            try runTool { () throws(ImageToolError) in try ImageTool.move(image, from: source, to: destination) }
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show size, usage, generation and snapshots.")
        @Argument var image: String
        func run() throws {
            try runTool { () throws(ImageToolError) in for line in try ImageTool.info(image) { print(line) } }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fsck",
            abstract: "Verify every checksum and structure; exit 0 if clean, 1 if problems were found.")
        @Argument var image: String
        func run() throws {
            var clean = false
            try runTool { () throws(ImageToolError) in
                let r = try ImageTool.check(image)
                for note in r.notes { print("note: \(note)") }
                for p in r.problems { print("\(image): \(p.description)") }
                print("\(image): \(r.isClean ? "clean" : "\(r.problems.count) problem(s)"): \(r.trees) tree(s), \(r.directories) directories, "
                      + "\(r.files) files, \(r.symlinks) symlinks, \(r.reachableBlocks) blocks in use, \(r.fileBytes) file bytes")
                clean = r.isClean
            }
            if !clean { throw ExitCode(1) }
        }
    }

    struct SnapshotCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snapshot", abstract: "Create, list or delete read-only snapshots.",
            subcommands: [Make.self, Show.self, Delete.self])

        struct Make: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "create", abstract: "Snapshot the image's current state.")
            @Argument var image: String
            @Argument var name: String
            func run() throws { try runTool { () throws(ImageToolError) in try ImageTool.createSnapshot(image, name: name) } }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List snapshots.")
            @Argument var image: String
            func run() throws {
                try runTool { () throws(ImageToolError) in for line in try ImageTool.listSnapshots(image) { print(line) } }
            }
        }

        struct Delete: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Delete a snapshot and reclaim the space only it used.")
            @Argument var image: String
            @Argument var name: String
            func run() throws { try runTool { () throws(ImageToolError) in try ImageTool.deleteSnapshot(image, name: name) } }
        }
    }

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Benchmark the filesystem on a file-backed image against the host directory DIR.",
            shouldDisplay: false)
        @Argument(help: "A scratch directory on the host filesystem.") var directory: String
        @Option(help: "Size of the sequential file in MiB.") var megabytes = 256
        @Option(help: "Number of small files.") var files = 10_000
        @Option(help: "Number of 4 KiB random overwrites.") var overwrites = 10_000
        func run() throws {
            try runTool { () throws(ImageToolError) in
                try ImageBench.run(directory: directory, fileCount: files, megabytes: megabytes, overwrites: overwrites)
            }
        }
    }
}
