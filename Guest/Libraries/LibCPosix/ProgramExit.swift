// ProgramExit.swift — how a C program ends (C11 7.22.4): the atexit functions in reverse order,
// then every stream flushed (fflush(NULL)), then the process's exit through UserLib (which
// flushes the runtime's standard output). abort ends it as SIGABRT's default action would.

@_extern(c, "sv_user_exit") func userExit(_ status: Int32)

/// C11 7.22.4.2 asks for at least 32 registrations; this is that many.
private let maximumExitFunctions = 32
nonisolated(unsafe) private var exitFunctions: [@convention(c) () -> Void] = []

/// atexit: 0, or nonzero when 32 functions are registered already.
@_cdecl("atexit")
public func atexit(_ function: @convention(c) () -> Void) -> Int32 {
    if exitFunctions.count == maximumExitFunctions { return -1 }
    exitFunctions.append(function)
    return 0
}

@_cdecl("exit")
public func exitProgram(_ status: Int32) -> Never {
    // A function may itself call atexit or exit: each is taken off the list before it runs.
    while let function = exitFunctions.popLast() { function() }
    _ = cFflush(nil)
    userExit(status)
    fatalError("sv_user_exit returned")
}

/// What UserRuntime's _start calls when a C program's main returns (C11 5.1.2.2.3: the same as
/// exit with main's value).
@_cdecl("sv_libc_main_returned")
public func mainReturned(_ status: Int32) -> Never {
    exitProgram(status)
}

/// abort (C11 7.22.4.1): the exit status a parent sees for a process killed by SIGABRT (128 + 6).
@_cdecl("abort")
public func abortProgram() -> Never {
    _ = cFflush(nil)
    userExit(128 + 6)
    fatalError("sv_user_exit returned")
}
