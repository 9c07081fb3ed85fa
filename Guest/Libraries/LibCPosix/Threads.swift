// Threads.swift — pthread.h for processes of one thread (LibC/include/pthread.h says what works
// and why pthread_create fails with EAGAIN). A mutex is glibc-sized (40 bytes); this code uses its
// first 16: locked (Int32 at 0), count (UInt32 at 4), owner (Int32 at 8, unused), kind (Int32 at 12).
// SAFETY: every pointer comes from a C caller, which pthread.h obliges to pass a valid object of the
// named type (as glibc does, no check can tell a bad pointer from a good one).

private let EBUSY: Int32 = 16, EPERM: Int32 = 1, EDEADLK: Int32 = 35, EAGAIN: Int32 = 11, ESRCH: Int32 = 3
private let normal: Int32 = 0, recursive: Int32 = 1, errorCheck: Int32 = 2

/// The one thread's id: any nonzero value names it; 1 is what pthread_self gives.
private let theThread: UInt = 1

private struct Mutex {
    let base: UnsafeMutableRawPointer
    var locked: Int32 { get { base.load(as: Int32.self) } nonmutating set { base.storeBytes(of: newValue, as: Int32.self) } }
    var count: UInt32 { get { base.load(fromByteOffset: 4, as: UInt32.self) } nonmutating set { base.storeBytes(of: newValue, toByteOffset: 4, as: UInt32.self) } }
    var kind: Int32 { base.load(fromByteOffset: 12, as: Int32.self) }
}

@_cdecl("pthread_create")
public func pthread_create(_ thread: UnsafeMutablePointer<UInt>, _ attr: UnsafeRawPointer?,
                           _ start: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?,
                           _ arg: UnsafeMutableRawPointer?) -> Int32 { EAGAIN }

/// No thread was ever created, so none can be joined or detached; the caller itself: EDEADLK (join)
/// — XSH pthread_join's error for joining oneself.
@_cdecl("pthread_join")
public func pthread_join(_ thread: UInt, _ result: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    thread == theThread ? EDEADLK : ESRCH
}
@_cdecl("pthread_detach")
public func pthread_detach(_ thread: UInt) -> Int32 { thread == theThread ? 0 : ESRCH }
@_cdecl("pthread_self")
public func pthread_self() -> UInt { theThread }
@_cdecl("pthread_equal")
public func pthread_equal(_ a: UInt, _ b: UInt) -> Int32 { a == b ? 1 : 0 }
@_cdecl("pthread_attr_init")
public func pthread_attr_init(_ attr: UnsafeMutableRawPointer) -> Int32 { attr.initializeMemory(as: UInt8.self, repeating: 0, count: 56); return 0 }
@_cdecl("pthread_attr_destroy")
public func pthread_attr_destroy(_ attr: UnsafeMutableRawPointer) -> Int32 { 0 }

@_cdecl("pthread_mutexattr_init")
public func pthread_mutexattr_init(_ attr: UnsafeMutablePointer<Int32>) -> Int32 { attr.pointee = normal; return 0 }
@_cdecl("pthread_mutexattr_destroy")
public func pthread_mutexattr_destroy(_ attr: UnsafeMutablePointer<Int32>) -> Int32 { 0 }
@_cdecl("pthread_mutexattr_settype")
public func pthread_mutexattr_settype(_ attr: UnsafeMutablePointer<Int32>, _ type: Int32) -> Int32 {
    guard type == normal || type == recursive || type == errorCheck else { return EINVAL }
    attr.pointee = type
    return 0
}
@_cdecl("pthread_mutexattr_gettype")
public func pthread_mutexattr_gettype(_ attr: UnsafePointer<Int32>, _ type: UnsafeMutablePointer<Int32>) -> Int32 {
    type.pointee = attr.pointee
    return 0
}

@_cdecl("pthread_mutex_init")
public func pthread_mutex_init(_ mutex: UnsafeMutableRawPointer, _ attr: UnsafePointer<Int32>?) -> Int32 {
    mutex.initializeMemory(as: UInt8.self, repeating: 0, count: 40)
    mutex.storeBytes(of: attr?.pointee ?? normal, toByteOffset: 12, as: Int32.self)
    return 0
}

/// A held mutex cannot be destroyed (XSH: EBUSY).
@_cdecl("pthread_mutex_destroy")
public func pthread_mutex_destroy(_ mutex: UnsafeMutableRawPointer) -> Int32 { Mutex(base: mutex).locked != 0 ? EBUSY : 0 }

/// Takes the mutex. Held already — by the only thread there is, the caller: a recursive mutex counts
/// once more (EAGAIN past UInt32's count); any other kind returns EDEADLK, since waiting for this
/// thread to release it could never end.
@_cdecl("pthread_mutex_lock")
public func pthread_mutex_lock(_ mutex: UnsafeMutableRawPointer) -> Int32 {
    let m = Mutex(base: mutex)
    if m.locked == 0 { m.locked = 1; m.count = 1; return 0 }
    guard m.kind == recursive else { return EDEADLK }
    guard m.count < UInt32.max else { return EAGAIN }
    m.count += 1
    return 0
}

@_cdecl("pthread_mutex_trylock")
public func pthread_mutex_trylock(_ mutex: UnsafeMutableRawPointer) -> Int32 {
    let m = Mutex(base: mutex)
    if m.locked != 0 && m.kind != recursive { return EBUSY }
    return pthread_mutex_lock(mutex)
}

/// Releases one hold; EPERM for a mutex that is not held (XSH: error-checking and recursive mutexes).
@_cdecl("pthread_mutex_unlock")
public func pthread_mutex_unlock(_ mutex: UnsafeMutableRawPointer) -> Int32 {
    let m = Mutex(base: mutex)
    guard m.locked != 0 else { return EPERM }
    if m.count > 1 { m.count -= 1; return 0 }
    m.count = 0
    m.locked = 0
    return 0
}

/// Runs `routine` the first time only (PTHREAD_ONCE_INIT is 0; 1 once it has run). One thread: no
/// other caller can be inside the routine meanwhile.
@_cdecl("pthread_once")
public func pthread_once(_ once: UnsafeMutablePointer<Int32>, _ routine: @convention(c) () -> Void) -> Int32 {
    if once.pointee == 0 {
        once.pointee = 1
        routine()
    }
    return 0
}
