import HTTPTypes
import Hummingbird

/// Applies `PeerPolicy` to every request and `SecurityHeaders` to every response, refused ones too.
struct SecurityMiddleware: RouterMiddleware {
    typealias Context = ConsoleRequestContext
    let policy: PeerPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let decision = policy.decide(
            peer: context.peer, hostHeader: request.head.authority,
            authorization: request.headers[.authorization],
            pageHeader: request.headers.first { $0.name.canonicalName == PeerPolicy.pageHeader.lowercased() }?.value,
            isPost: request.method == .post, access: .of(path: request.uri.path))
        var response: Response
        switch decision {
        case .allow:
            do {
                response = try await next(request, context)
            } catch let e as HTTPError {
                response = ConsoleResponses.json(["error": e.body ?? "\(e.status.code)"], status: e.status)
            }
        case .unauthorized:
            response = ConsoleResponses.json(["error": "operator token required (Authorization: Bearer …)"], status: .unauthorized)
            response.headers[.wwwAuthenticate] = "Bearer realm=\"cccd console\""
        case .forbidden(let why):
            response = ConsoleResponses.json(["error": why], status: .forbidden)
        }
        SecurityHeaders.apply(to: &response.headers)
        return response
    }
}
