// Session.swift — ttyd's job-control state (POSIX XBD 11.1.2–11.1.4): the session the terminal
// controls and its foreground process group. Every claim is checked against what the kernel says
// of the caller (the pid it stamps into each message; getpgid, getsid, the process table), never
// against what the caller says of itself.
import ABI
import UserLib

struct JobControl {
    /// The controlling session (0: none yet).
    var session = 0
    /// Its foreground process group (0: none: the terminal's signals go nowhere).
    var foreground = 0

    static func group(of pid: Int) -> Int? { if case .success(let g) = Unix.getpgid(pid) { return g } else { return nil } }
    static func session(of pid: Int) -> Int? { if case .success(let s) = Unix.getsid(pid) { return s } else { return nil } }

    /// A session whose processes have all gone no longer holds the terminal (its leader's exit
    /// would have sent SIGHUP: the kernel does that part).
    mutating func forgetEndedSession() {
        guard session != 0 else { return }
        if !System.processes().contains(where: { $0.sid == session && $0.state != "zombie" }) {
            session = 0
            foreground = 0
        }
    }

    /// TIOCSCTTY by `caller`: a session leader takes a terminal no live session holds; its group
    /// becomes the foreground. EPERM otherwise.
    mutating func takeControl(by caller: Int) -> Int32 {
        forgetEndedSession()
        guard let sid = JobControl.session(of: caller), sid == caller, let pgid = JobControl.group(of: caller) else { return SV_EPERM }
        guard session == 0 || session == sid else { return SV_EPERM }
        session = sid
        foreground = pgid
        return 0
    }

    /// TIOCSPGRP by `caller`: `pgid` must be a group of the caller's session, which must be the
    /// terminal's (a terminal no session holds is taken by the first caller: init's shell does
    /// not call setsid, it runs in init's session). ENOTTY: not the caller's terminal; EPERM: no
    /// such group in the session; EINVAL: a negative group.
    mutating func setForeground(_ pgid: Int, by caller: Int) -> Int32 {
        guard pgid > 0 else { return SV_EINVAL }
        forgetEndedSession()
        guard let sid = JobControl.session(of: caller) else { return SV_ESRCH }
        if session == 0 { session = sid }
        guard sid == session else { return SV_ENOTTY }
        guard System.processes().contains(where: { $0.pgid == pgid && $0.sid == session && $0.state != "zombie" }) else { return SV_EPERM }
        foreground = pgid
        return 0
    }

    /// TIOCNOTTY by `caller`: its session gives the terminal up.
    mutating func release(by caller: Int) -> Int32 {
        guard let sid = JobControl.session(of: caller), sid == session else { return SV_ENOTTY }
        session = 0
        foreground = 0
        return 0
    }

    /// kill(-group, signal) for a real group: never group 1 or below — kill(-1) would be every
    /// process, and group 1 is init's (a shell without job control runs its commands there).
    static func signalGroup(_ group: Int, _ signal: Int32) {
        guard group > 1 else { return }
        _ = Unix.kill(-group, signal: signal)
    }

    func signalForeground(_ signal: Int32) { JobControl.signalGroup(foreground, signal) }

    /// A foreground group whose processes have all ended (a job-control program that did not give
    /// the terminal back) no longer holds it: true if it was forgotten, so readers may go on.
    mutating func forgetEndedForeground() -> Bool {
        guard foreground != 0 else { return false }
        guard !System.processes().contains(where: { $0.pgid == foreground && $0.state != "zombie" }) else { return false }
        foreground = 0
        return true
    }

    /// Whether a read by a process of `group` in `sid` may take input now: the foreground's, or
    /// anyone's while no group is in the foreground or from outside the terminal's session.
    func mayRead(group: Int, session sid: Int) -> Bool {
        foreground <= 1 || group == foreground || sid != session
    }
}
