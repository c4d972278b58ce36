import Hummingbird
import NIOCore

/// The request context of the sync service: Hummingbird's core storage plus the connection,
/// which the test-only fault hook closes to lose a response.
public struct SyncRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
