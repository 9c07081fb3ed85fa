// Threads.swift — starting a pthread that runs a Swift closure, and naming threads.
import CHostSupport
import Glibc

private final class ThreadBody {
    let name: String?
    let body: () -> Void
    init(name: String?, body: @escaping () -> Void) {
        self.name = name
        self.body = body
    }
}

/// Starts a pthread running `body`; `name` is set as with `setCurrentThreadName`. The caller joins
/// the returned thread or detaches it.
public func spawnThread(name: String? = nil, _ body: @escaping @Sendable () -> Void) -> pthread_t {
    // SAFETY: the retained box is released exactly once, by the new thread.
    let context = Unmanaged.passRetained(ThreadBody(name: name, body: body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { raw in
        guard let raw else { return nil }
        let box = Unmanaged<ThreadBody>.fromOpaque(raw).takeRetainedValue()
        if let name = box.name { setCurrentThreadName(name) }
        box.body()
        return nil
    }, context)
    precondition(rc == 0, "pthread_create failed: \(rc)")
    return thread
}

/// Starts a thread nobody joins: its resources go when `body` returns.
public func spawnDetachedThread(name: String? = nil, _ body: @escaping @Sendable () -> Void) {
    pthread_detach(spawnThread(name: name, body))
}

/// Names the calling thread for ps, /proc/PID/task/*/comm and gdb. Linux keeps 15 bytes.
public func setCurrentThreadName(_ name: String) {
    _ = chostsupport_set_thread_name(String(decoding: name.utf8.prefix(15), as: UTF8.self))
}

/// Gives freed heap memory back to the system (glibc keeps it for reuse otherwise): after a
/// large temporary allocation, so it does not stay in the process's RSS.
public func returnFreedMemoryToTheSystem() {
    chostsupport_trim_heap()
}

/// Takes the pages of this program's code and constants that setup touched out of the process
/// (MADV_PAGEOUT); those a later step needs fault back in. Returns how many segments were advised.
@discardableResult
public func pageOutProgramText() -> Int {
    Int(chostsupport_page_out_program_text())
}
