// GDBEndpointTests.swift — parsing `--gdb` values, and the errors a user sees for bad ones.
import Testing
import GDBStub

@Suite("--gdb endpoint parsing")
struct GDBEndpointTests {
    @Test("accepted forms", arguments: [
        ("tcp::1234", GDBEndpoint.tcp(host: "127.0.0.1", port: 1234)),
        ("tcp:0.0.0.0:1234", .tcp(host: "0.0.0.0", port: 1234)),
        ("tcp:localhost:0", .tcp(host: "localhost", port: 0)),
        ("tcp:[::1]:9000", .tcp(host: "::1", port: 9000)),
        ("unix:/tmp/swiftvm.gdb", .unix(path: "/tmp/swiftvm.gdb")),
        ("unix:relative.sock", .unix(path: "relative.sock")),
    ])
    func accepted(spec: String, endpoint: GDBEndpoint) throws {
        #expect(try GDBEndpoint(parsing: spec) == endpoint)
    }

    @Test("rejected forms", arguments: [
        ("1234", GDBEndpointError.unknownTransport("1234")),
        ("tcp", .unknownTransport("tcp")),
        ("udp::1234", .unknownTransport("udp::1234")),
        ("tcp:1234", .missingPort("tcp:1234")),
        ("tcp::", .missingPort("tcp::")),
        ("tcp::http", .badPort("http")),
        ("tcp::65536", .badPort("65536")),
        ("tcp::-1", .badPort("-1")),
        ("tcp::+80", .badPort("+80")),
        ("tcp:::1:80", .badHost("tcp:::1:80")),
        ("tcp:[::1]80", .badHost("tcp:[::1]80")),
        ("tcp:[]:80", .badHost("tcp:[]:80")),
        ("unix:", .missingPath("unix:")),
        ("unix:/" + String(repeating: "x", count: 107), .pathTooLong("/" + String(repeating: "x", count: 107), limit: 107)),
    ])
    func rejected(spec: String, error: GDBEndpointError) {
        #expect(throws: error) { try GDBEndpoint(parsing: spec) }
    }

    @Test func errorsExplainTheAcceptedForms() {
        let message = "\(GDBEndpointError.unknownTransport("1234"))"
        #expect(message.contains("tcp::PORT") && message.contains("unix:PATH"))
    }

    @Test func descriptionRoundTrips() throws {
        for spec in ["tcp:127.0.0.1:1234", "tcp:[::1]:1", "unix:/tmp/a"] {
            #expect(try GDBEndpoint(parsing: spec).description == spec)
        }
    }
}
