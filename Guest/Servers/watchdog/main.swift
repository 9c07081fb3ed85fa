// watchdog — finds servers that hang, not only those that crash (MINIX 3's reincarnation server;
// issue 16 §3). init starts it when its command line says `watchdog=PERIOD,TIMEOUT` (seconds).
//   watchdog PERIOD TIMEOUT
// Every PERIOD it pings each system server that is up — the file server, the disk driver, the
// terminal server — from a child process (a call to a hung server never returns, so the watchdog
// itself never makes one): the request is an operation no protocol defines, which every server
// answers at once with ENOSYS. A server whose ping is unanswered after TIMEOUT is killed; init
// restarts it as after a crash, and its clients repeat the call that was cut off.
import ABI
import UserLib

/// A service, and the program that serves it (what `ps` names the process).
struct Watched {
    let service: String
    let program: String
    /// The child waiting for this server's answer, and when it started (clock ns).
    var pinger = 0
    var since: UInt64 = 0
}

/// A request no protocol defines: the first byte is the operation in every one of them.
let ping: [UInt8] = [0xff] + [UInt8](repeating: 0, count: 63)

func pingOnce(_ service: String) -> Never {
    let endpoint = Channel.lookup(service)
    guard endpoint > 0 else { System.exit(1) }
    switch Channel.call(endpoint, request: ping) {
    case .success: System.exit(0)
    case .failure: System.exit(1)   // the server went away: init restarts it anyway
    }
}

func main() -> Never {
    let arguments = System.arguments
    guard arguments.count == 3, let period = UInt64(arguments[1]), let timeout = UInt64(arguments[2]),
          period > 0, timeout > 0, period <= 3600, timeout <= 3600 else {
        print("usage: watchdog PERIOD TIMEOUT (seconds, 1 to 3600)")
        System.exit(2)
    }
    var watched = [Watched(service: SV_FS_SERVICE, program: "fsd"), Watched(service: SV_BLK_SERVICE, program: "blkd"),
                   Watched(service: SV_TTY_SERVICE, program: "ttyd")]
    print("watchdog: pinging the servers every \(period) s; one silent for \(timeout) s is restarted")
    while true {
        System.sleep(nanoseconds: period * 1_000_000_000)
        // Pingers that have their answer.
        while case .success(let ended) = Unix.waitpid(-1, options: SV_WNOHANG), ended.pid > 0 {
            for i in watched.indices where watched[i].pinger == ended.pid { watched[i].pinger = 0 }
        }
        let now = System.clock()
        for i in watched.indices {
            if watched[i].pinger != 0 {
                guard now - watched[i].since >= timeout * 1_000_000_000 else { continue }
                for p in System.processes() where p.name == watched[i].program && p.state != "zombie" {
                    print("watchdog: \(watched[i].program) (pid \(p.pid)) has not answered for \(timeout) s; killing it")
                    _ = System.kill(p.pid)
                }
                // Its pinger's call fails when the server ends; it is reaped above.
                watched[i].since = now
                continue
            }
            guard Channel.lookup(watched[i].service) > 0 else { continue }   // not up (yet, or any more)
            switch Unix.fork() {
            case .success(0): pingOnce(watched[i].service)
            case .success(let child):
                watched[i].pinger = child
                watched[i].since = now
            case .failure: break   // no memory for a child now: the next period tries again
            }
        }
    }
}

main()
