// piped — the pipe server (ABI sv_pipe.h; its client is UserLib/Pipes.swift). It keeps each pipe's buffer and the calls that
// must wait — a read of an empty pipe, a write to a full one — and answers them when the other
// side makes progress or closes: a reply can come long after the call (the kernel keeps the caller
// blocked and its lease lent until then).
import ABI
import UserLib

struct Waiting {
    var caller: UInt64
    var leaseLength: Int
}

struct Pipe {
    static let capacity = PipeProtocol.capacity
    let id: UInt64
    var buffer: [UInt8] = []
    var start = 0                      // buffer[start...] is unread
    var readerOpen = true
    var writerOpen = true
    var readers: [Waiting] = []
    var writers: [Waiting] = []
    var unread: Int { buffer.count - start }
}

func reply(_ caller: UInt64, status: Int64, value: UInt64 = 0) {
    Channel.reply(caller, PipeProtocol.reply(status: status, value: value))
}

/// Serves waiting readers and writers of `pipe` as far as its buffer allows.
func progress(_ pipe: inout Pipe) {
    var moved = true
    while moved {
        moved = false
        // Readers take what is buffered; with nothing buffered and no writer left, the end of input.
        while let r = pipe.readers.first, pipe.unread > 0 || !pipe.writerOpen {
            pipe.readers.removeFirst()
            let n = min(r.leaseLength, pipe.unread)
            var copied = 0
            if n > 0 {
                copied = Channel.leaseWrite(r.caller, offset: 0, from: pipe.buffer[pipe.start..<(pipe.start + n)])
            }
            if copied < 0 { reply(r.caller, status: Int64(copied)); continue }
            pipe.start += copied
            reply(r.caller, status: 0, value: UInt64(copied))
            moved = true
        }
        if pipe.start > 0 && pipe.start >= pipe.buffer.count / 2 {
            pipe.buffer.removeFirst(pipe.start)
            pipe.start = 0
        }
        // Writers add what fits; with no reader left, EPIPE.
        while let w = pipe.writers.first, !pipe.readerOpen || pipe.unread < Pipe.capacity {
            pipe.writers.removeFirst()
            guard pipe.readerOpen else { reply(w.caller, status: -Int64(SV_EPIPE)); continue }
            let n = min(w.leaseLength, Pipe.capacity - pipe.unread)
            var chunk = [UInt8](repeating: 0, count: n)
            let got = Channel.leaseRead(w.caller, offset: 0, into: &chunk, 0..<n)
            if got < 0 { reply(w.caller, status: Int64(got)); continue }
            pipe.buffer += chunk.prefix(got)
            reply(w.caller, status: 0, value: UInt64(got))
            moved = true
        }
    }
}

func main() -> Never {
    let endpoint = Channel.serve(Pipes.service)
    guard endpoint > 0 else { print("piped: cannot serve \"pipe\" (error \(-endpoint))"); System.exit(1) }
    // A list, not a Dictionary: hashing tables use floating point, which the guest is built without.
    var pipes: [Pipe] = []
    var nextID: UInt64 = 1
    while true {
        guard case .success(let m) = Channel.receive(endpoint) else { System.exit(1) }
        guard let request = PipeProtocol.decodeRequest(m.request),
              [.create, .write, .read, .close].contains(PipeOperation(rawValue: request.op)) else {
            reply(m.caller, status: -Int64(SV_ENOSYS)); continue
        }
        let op = PipeOperation(rawValue: request.op), id = request.pipe
        if op == .create {
            guard pipes.count < PipeProtocol.maximumPipes else { reply(m.caller, status: -Int64(SV_EAGAIN)); continue }
            pipes.append(Pipe(id: nextID))
            reply(m.caller, status: 0, value: nextID)
            nextID += 1
            continue
        }
        guard let index = pipes.firstIndex(where: { $0.id == id }) else { reply(m.caller, status: -Int64(SV_EBADF)); continue }
        var pipe = pipes[index]
        switch op {
        case .write:
            guard m.leaseFlags & SV_LEASE_READ != 0, pipe.writerOpen else { reply(m.caller, status: -Int64(SV_EBADF)); continue }
            if m.leaseLength == 0 { reply(m.caller, status: 0); continue }
            pipe.writers.append(Waiting(caller: m.caller, leaseLength: m.leaseLength))
        case .read:
            guard m.leaseFlags & SV_LEASE_WRITE != 0, pipe.readerOpen else { reply(m.caller, status: -Int64(SV_EBADF)); continue }
            if m.leaseLength == 0 { reply(m.caller, status: 0); continue }
            pipe.readers.append(Waiting(caller: m.caller, leaseLength: m.leaseLength))
        case .close:
            if request.end == PipeProtocol.readEnd { pipe.readerOpen = false } else { pipe.writerOpen = false }
            reply(m.caller, status: 0)
        default:   // create: answered above
            break
        }
        progress(&pipe)
        if !pipe.readerOpen && !pipe.writerOpen && pipe.readers.isEmpty && pipe.writers.isEmpty {
            pipes.remove(at: index)    // both ends closed: gone
        } else {
            pipes[index] = pipe
        }
    }
}

main()
