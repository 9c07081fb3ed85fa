// Paths.swift — path-string helpers.

/// The last component of a path, with NSString.lastPathComponent's results (the tools printed and
/// stored names this way): trailing slashes are ignored, "/" stays "/", "" stays "".
public func lastPathComponent(_ path: String) -> String {
    if path == "/" { return path }
    var trimmed = Substring(path)
    while trimmed.last == "/" { trimmed.removeLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
    return String(trimmed[trimmed.index(after: slash)...])
}
