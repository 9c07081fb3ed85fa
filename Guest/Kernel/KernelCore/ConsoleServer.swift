// ConsoleServer.swift — the console leaves the kernel (issue 10, "The terminal server"): a user
// process with the devices right (ttyd) attaches an endpoint it serves; from then on the console's
// input goes to it as SV_TTY_INPUT notices (sv_tty.h) instead of the kernel's own buffer, and
// /dev/tty and /dev/console open on its service. The attachment is the endpoint itself: when the
// server ends, its endpoint goes and the kernel console is back (input buffered for kernel-console
// readers) until the next server attaches. Descriptors already open on the service keep waiting
// for it (RemoteFiles.swift: a forwarded call is sent to the next process serving the name).
import ABI

extension KernelState {
    /// console_attach(endpoint) by `p`: it must serve the endpoint and hold the console right. EPERM
    /// otherwise; EBUSY while another live server holds the console.
    public func attachConsole(_ p: Process, endpoint id: Int) -> Result<Void, KernelError> {
        guard p.mayAttachConsole, let e = ipc.endpoint(id), e.owner == p.pid else { return .failure(.init(SV_EPERM)) }
        if let current = consoleServer, current.id != id { return .failure(.init(SV_EBUSY)) }
        consoleEndpoint = id
        return .success(())
    }

    /// The console server's endpoint while it lives.
    public var consoleServer: Endpoint? {
        guard let id = consoleEndpoint else { return nil }
        guard let e = ipc.endpoint(id), let owner = process(e.owner), !owner.isZombie else {
            consoleEndpoint = nil
            return nil
        }
        return e
    }

    /// Whether `pid` is the console server (it alone may write the console device directly).
    public func isConsoleServer(_ pid: Int32) -> Bool { consoleServer?.owner == pid }

    /// Console input for the server: false when none is attached (the kernel keeps the bytes).
    /// Split into notices of at most SV_TTY_INPUT_MAX bytes, in order.
    public func forwardConsoleInput(_ bytes: [UInt8]) -> Bool {
        guard let e = consoleServer else { return false }
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int(SV_TTY_INPUT_MAX))
            var header = sv_tty_input()
            header.op = UInt8(SV_TTY_INPUT)
            notify(e, withUnsafeBytes(of: &header) { Array($0) } + bytes[start..<end])
            start = end
        }
        return true
    }
}
