// Redirection.swift — XCU 2.7 Redirection: opening files, duplicating and closing descriptors,
// here-documents; with the old descriptors saved so a builtin's redirections can be undone.
import Posix

/// A descriptor moved aside while a redirection is in force; `saved` nil means it was closed.
struct SavedDescriptor {
    var fd: Int32
    var saved: Int32?
}

extension Shell {
    /// Applies `redirections` in order. With `save`, returns what `restore` needs to undo them.
    /// On failure the error is reported, the ones applied are undone, and nil is returned.
    func applyRedirections(_ redirections: [Redirection], save: Bool) throws(ShellInterrupt) -> [SavedDescriptor]? {
        var saved: [SavedDescriptor] = []
        for r in redirections {
            guard let newFD = try openTarget(r) else {
                restore(saved)
                return nil
            }
            if save && !saved.contains(where: { $0.fd == r.fd }) {
                // Keep the old descriptor above 10, close-on-exec (dash does the same).
                let copy = try? Posix.fcntl(r.fd, F_DUPFD_CLOEXEC, 10)
                saved.append(SavedDescriptor(fd: r.fd, saved: copy))
            }
            if newFD == -1 {
                try? Posix.close(r.fd)
            } else if newFD == r.fd {
                // Opened straight onto the wanted number: it must survive exec.
                _ = try? Posix.fcntl(newFD, F_SETFD, 0)
            } else {
                _ = try? Posix.dup2(newFD, r.fd)
                if r.kind != .duplicateInput && r.kind != .duplicateOutput { try? Posix.close(newFD) }
            }
        }
        return saved
    }

    func restore(_ saved: [SavedDescriptor]) {
        for s in saved.reversed() {
            if let copy = s.saved {
                _ = try? Posix.dup2(copy, s.fd)
                try? Posix.close(copy)
            } else {
                try? Posix.close(s.fd)
            }
        }
    }

    /// The descriptor to put at r.fd: -1 to close it, nil on a reported error.
    func openTarget(_ r: Redirection) throws(ShellInterrupt) -> Int32? {
        if r.kind == .hereDocument {
            let doc = r.hereDocument
            let body = doc.map { d in d.quoted ? quotedBody(d.body) : nil } ?? nil
            let text: String
            if let b = body { text = b } else { text = try expandString(doc?.body ?? []) }
            return hereDocumentDescriptor(Array(text.utf8))
        }
        let target = try expandString(r.target)
        switch r.kind {
        case .duplicateInput, .duplicateOutput:
            if target == "-" { return -1 }
            guard let n = Int32(target), n >= 0 else {
                reportError(r.kind == .duplicateInput ? "Syntax error: Bad fd number" : "Syntax error: Bad fd number")
                status = 2
                return nil
            }
            if n == r.fd { return n }
            guard (try? Posix.fcntl(n, F_GETFD)) != nil else {
                reportError("\(n): Bad file descriptor")
                status = 2
                return nil
            }
            return n
        case .input:
            return openFile(target, O_RDONLY, creating: false)
        case .output:
            if options.noclobber, let st = try? Posix.stat(target), S_ISREG(st.mode) {
                reportError("cannot create \(target): File exists")
                status = 2
                return nil
            }
            return openFile(target, O_WRONLY | O_CREAT | O_TRUNC, creating: true)
        case .clobber:
            return openFile(target, O_WRONLY | O_CREAT | O_TRUNC, creating: true)
        case .append:
            return openFile(target, O_WRONLY | O_CREAT | O_APPEND, creating: true)
        case .readWrite:
            return openFile(target, O_RDWR | O_CREAT, creating: true)
        case .hereDocument:
            return nil
        }
    }

    func quotedBody(_ word: Word) -> String? {
        var s = ""
        for p in word { if case .quoted(let t) = p { s += t } else { return nil } }
        return s
    }

    func openFile(_ path: String, _ flags: Int32, creating: Bool) -> Int32? {
        do {
            return try Posix.open(path, flags | O_CLOEXEC, 0o666)
        } catch {
            // dash's wording (its errmsg): ENOENT reads "No such file" / "Directory nonexistent".
            var reason = error.message
            if error == .ENOENT { reason = creating ? "Directory nonexistent" : "No such file" }
            reportError("cannot \(creating ? "create" : "open") \(path): \(reason)")
            status = 2
            return nil
        }
    }

    /// A readable descriptor holding `bytes`: a pipe, filled by a child when it would not fit.
    func hereDocumentDescriptor(_ bytes: [UInt8]) -> Int32? {
        guard let (r, w) = try? Posix.pipe() else { return nil }
        if bytes.count <= 65536 {
            write(w, bytes)
            try? Posix.close(w)
            return r
        }
        let pid = try? Posix.fork()
        if pid == 0 {
            try? Posix.close(r)
            write(w, bytes)
            Posix._exit(0)
        }
        try? Posix.close(w)
        return r
    }
}
