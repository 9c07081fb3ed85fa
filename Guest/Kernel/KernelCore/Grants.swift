// Grants.swift — shared memory for bulk data: during a call, a server may map the caller's lease
// into its own address space (lease_map, sv_syscall.h) and copy with plain loads and stores instead
// of a lease_read/lease_write per chunk. A grant lives exactly as long as the call: the reply, the
// caller's end or the server's end revokes it, so the server can never touch memory the caller has
// taken back. This file is the bookkeeping (where each grant sits, which to revoke when); the
// machine layer maps and unmaps the pages (Kernel/IPC.swift).
import ABI

/// Pages of a caller's lease mapped into a server, at `start` in the server's address space.
public struct Grant: Equatable, Sendable {
    public let server: Int32
    public let caller: Int32
    public let start: UInt64
    public let pages: Int
    public var end: UInt64 { start + UInt64(pages) * 4096 }
}

extension KernelState {
    /// Room in `server`'s grant window for `pages` pages for `caller`'s call, recorded as a grant.
    /// The window fills upwards and starts over once the server holds no grant; ENOMEM past
    /// SV_GRANT_PAGES_MAX pages held at once or the end of the window.
    public func reserveGrant(server: Int32, caller: Int32, pages: Int) -> Result<Grant, KernelError> {
        let held = grants.filter { $0.server == server }
        guard pages > 0, held.reduce(0, { $0 + $1.pages }) + pages <= Int(SV_GRANT_PAGES_MAX) else { return .failure(.init(SV_ENOMEM)) }
        let start = held.map { $0.end }.max() ?? UInt64(SV_USER_GRANT_BASE)
        guard start + UInt64(pages) * 4096 <= UInt64(SV_USER_GRANT_LIMIT) else { return .failure(.init(SV_ENOMEM)) }
        let grant = Grant(server: server, caller: caller, start: start, pages: pages)
        grants.append(grant)
        return .success(grant)
    }

    /// A grant that could not be mapped after all.
    public func forgetGrant(_ grant: Grant) { grants.removeAll { $0 == grant } }

    /// The grants of one call, forgotten: the server replied to `caller` (the machine layer unmaps them).
    public func takeGrants(server: Int32, caller: Int32) -> [Grant] {
        let taken = grants.filter { $0.server == server && $0.caller == caller }
        grants.removeAll { $0.server == server && $0.caller == caller }
        return taken
    }

    /// Every grant `pid` holds as server or lent as caller, forgotten: it is ending. The machine
    /// layer unmaps those of its callers from their servers before its memory is freed.
    public func takeGrants(involving pid: Int32) -> [Grant] {
        let taken = grants.filter { $0.server == pid || $0.caller == pid }
        grants.removeAll { $0.server == pid || $0.caller == pid }
        return taken
    }
}
