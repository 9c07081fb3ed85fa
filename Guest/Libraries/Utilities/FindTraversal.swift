// FindTraversal.swift — find's walk without a status per file where it needs none. A directory
// listing carries each entry's kind (readdir's d_type; the guest's getdents, sv_dirent.d_type), and
// an expression that looks at nothing but kinds and names — `find DIR`, -name, -path, -type, -print,
// -prune, -exec — decides on that alone, as GNU findutils does (it stats only when a predicate needs
// more, or the listing does not know the type). In the guest every status is a round trip to the file
// server (two kernel entries or more), so a walk over 10,000 files cost 10,000 of them (issue 14).

extension FindExpression.Node {
    /// Whether evaluating this reads more of a file's status than its kind (size, times, mode).
    var needsStatus: Bool {
        switch self {
        case .and(let a, let b), .or(let a, let b): return a.needsStatus || b.needsStatus
        case .not(let a): return a.needsStatus
        case .constant, .name, .path, .type, .print, .exec, .delete, .prune, .quit: return false
        default: return true   // -size, -mtime, -newer, -empty, -perm, -printf, and any primary added later
        }
    }
}

extension Walk {
    /// The status to evaluate a listed entry with, when its kind from the listing is enough: the
    /// kind alone (nothing else is read), never for a link that is to be followed (the listing
    /// names the link, not its target). nil: the file's status must be asked for.
    func statusFromListing(_ listedKind: FileInfo.Kind?, followLinks: Bool) -> FileInfo? {
        guard kindIsEnough, !followLinks, let kind = listedKind else { return nil }
        return FileInfo(kind: kind, size: 0, permissions: 0, modified: 0)
    }
}
