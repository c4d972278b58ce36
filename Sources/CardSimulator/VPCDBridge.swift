import Foundation
import ISO7816
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves a `SmartCard` to pcscd through the vsmartcard `vpcd` driver, so the card appears in
/// "Virtual PCD 00 00" (port 35963) or "Virtual PCD 00 01" (port 35964) like a real one.
///
/// Wire format: every message is a 2-byte big-endian length and a payload; a 1-byte payload is a
/// control code (0 power off, 1 power on, 2 reset, 4 ATR request), anything longer is a command
/// APDU and is answered with the response APDU. Closing the connection removes the card.
///
/// vpcd writes length and payload separately, so without TCP_NODELAY and a fresh TCP_QUICKACK
/// before each receive every APDU waits ~40 ms for a delayed ACK.
public final class VPCDBridge: @unchecked Sendable {
    public static let slotPorts: [UInt16] = [35963, 35964]

    public let card: any SmartCard
    public let host: String
    public let port: UInt16
    private let state = Locked<(fd: Int32, running: Bool)>((-1, false))
    private let finished = DispatchSemaphore(value: 0)
    private let logger = Logger(label: "cccd.vpcd")

    /// Called with the 1-based number of each command APDU before it is answered; returning false
    /// removes the card instead (fault injection: "card pulled after N APDUs", latency).
    public let beforeAnswer: (@Sendable (Int) -> Bool)?

    public convenience init(card: any SmartCard, host: String = "127.0.0.1", slot: Int = 0,
                            beforeAnswer: (@Sendable (Int) -> Bool)? = nil) {
        self.init(card: card, host: host, port: VPCDBridge.slotPorts[max(0, min(1, slot))], beforeAnswer: beforeAnswer)
    }

    public init(card: any SmartCard, host: String = "127.0.0.1", port: UInt16,
                beforeAnswer: (@Sendable (Int) -> Bool)? = nil) {
        self.card = card
        self.host = host
        self.port = port
        self.beforeAnswer = beforeAnswer
    }

    public enum BridgeError: Error, CustomStringConvertible {
        case connectFailed(port: UInt16, errno: Int32)
        case invalidHost(String)
        public var description: String {
            switch self {
            case .connectFailed(let p, let e):
                return "cannot reach vpcd on 127.0.0.1:\(p) (\(String(cString: strerror(e)))) — is pcscd running with vsmartcard-vpcd installed?"
            case .invalidHost(let h): return "invalid host \(h): only IPv4 literals such as 127.0.0.1 are accepted"
            }
        }
    }

    /// Connects (the card is "inserted") and serves on a background thread until `stop()` or until
    /// vpcd closes the connection.
    public func start() throws {
        let fd = try connectSocket()
        state.withLock { $0 = (fd, true) }
        let t = Thread { [self] in
            serve(fd)
            state.withLock { s in
                if s.fd == fd { close(fd); s.fd = -1 }
                s.running = false
            }
            finished.signal()
        }
        t.name = "cccd.vpcd.\(port)"
        t.start()
    }

    /// Removes the card: closes the connection and waits for the serving thread to end.
    public func stop() {
        let wasRunning = state.withLock { s -> Bool in
            if s.fd >= 0 { shutdown(s.fd, Int32(SHUT_RDWR)) }
            return s.running
        }
        if wasRunning { finished.wait() }
    }

    public var isRunning: Bool { state.withLock { $0.running } }

    deinit { stop() }

    private func connectSocket() throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw BridgeError.connectFailed(port: port, errno: errno) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else {
            close(fd)
            throw BridgeError.invalidHost(host)
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let e = errno
            close(fd)
            throw BridgeError.connectFailed(port: port, errno: e)
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    private func serve(_ fd: Int32) {
        var exchanges = 0
        while true {
            guard let message = receive(fd) else { return }
            if message.count == 1 {
                switch message[0] {
                case 0: card.powerOff()
                case 1, 2: card.reset()
                case 4: guard send(fd, card.atr) else { return }
                default: logger.debug("unknown vpcd control code \(message[0])")
                }
                continue
            }
            exchanges += 1
            if let hook = beforeAnswer, !hook(exchanges) { return }
            let response = card.process(message)
            guard send(fd, response) else { return }
        }
    }

    private func quickAck(_ fd: Int32) {
        #if os(Linux)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), Int32(TCP_QUICKACK), &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    private func receive(_ fd: Int32) -> [UInt8]? {
        guard let header = readExactly(fd, 2) else { return nil }
        let length = Int(header[0]) << 8 | Int(header[1])
        if length == 0 { return [] }
        return readExactly(fd, length)
    }

    private func readExactly(_ fd: Int32, _ n: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: n)
        var got = 0
        while got < n {
            quickAck(fd)
            let r = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, n - got, 0) }
            if r <= 0 {
                if r < 0 && errno == EINTR { continue }
                return nil
            }
            got += r
        }
        return buffer
    }

    private func send(_ fd: Int32, _ payload: [UInt8]) -> Bool {
        guard payload.count <= 0xFFFF else { return false }
        let message = [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)] + payload
        var sent = 0
        while sent < message.count {
            let r = message.withUnsafeBytes { sendNoSignal(fd, $0.baseAddress! + sent, message.count - sent) }
            if r <= 0 {
                if r < 0 && errno == EINTR { continue }
                return false
            }
            sent += r
        }
        return true
    }
}

/// send(2) without SIGPIPE when pcscd has gone away.
private func sendNoSignal(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.send(fd, p, n, Int32(MSG_NOSIGNAL))
    #else
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
    return Darwin.send(fd, p, n, 0)
    #endif
}
