import Hummingbird
import NIOCore

/// A request context that knows the peer's IP address, for the loopback rule.
struct ConsoleRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The remote IP address; nil when the channel has none (treated as remote).
    let peer: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress
    }
}
