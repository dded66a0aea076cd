import Foundation
import HTTPTypes
import Hummingbird

/// Counts every request and its response status, answers `GET /__stats`, and refuses every method but
/// GET (except the vendor's token endpoint): idgraph never writes to a SaaS, and tests prove it here.
struct StatsMiddleware: RouterMiddleware {
    typealias Context = SimulatorContext
    let api: VendorAPI

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path == "/__stats" && request.method == .get {
            return SimulatedResponse.response(.json(api.state.snapshot().json), faults: [])
        }
        api.state.update { $0.requests += 1 }
        let response: Response
        if request.method != .get && !(request.method == .post && api.vendor.writablePaths.contains(path)) {
            api.state.update { $0.nonGetRequests += 1 }
            response = SimulatedResponse.response(
                .error(.methodNotAllowed, "error",
                       "The simulated \(api.system.displayName) API is read-only here: \(request.method) \(path) is refused.",
                       headers: [.allow: "GET"]),
                faults: [])
        } else {
            do {
                response = try await next(request, context)
            } catch let error as HTTPError where error.status == .notFound {
                response = SimulatedResponse.response(.notFound(path), faults: [])
            }
        }
        api.state.record(status: Int(response.status.code))
        return response
    }
}

/// In front of a vendor's API routes: authentication, the rate limit, then the faults that fire.
struct VendorMiddleware: RouterMiddleware {
    typealias Context = SimulatorContext
    let api: VendorAPI
    let basePath: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        switch api.vendor.authenticate(request, api) {
        case .refused(let response): return SimulatedResponse.response(response, faults: [])
        case .granted(let credential): context.credential = credential
        }
        var limitHeaders = HTTPFields()
        if let limit = api.options.rateLimit(for: api.system) {
            let decision = api.state.admit(key: context.credential, limit: limit)
            limitHeaders = api.vendor.rateLimitFields(decision)
            if !decision.allowed {
                return SimulatedResponse.response(api.vendor.tooManyRequests(headers: limitHeaders), faults: [])
            }
        }
        let segments = request.uri.path.dropFirst(basePath.count).split(separator: "/")
        let firing = api.state.firingFaults(api.options.faults.filter { $0.applies(to: api.system) }.sorted { "\($0)" < "\($1)" }, segments: segments)
        if let slow = firing.first(where: { $0.kind == .slowResponse }) {
            try await Task.sleep(for: .milliseconds(slow.delayMilliseconds))
        }
        if firing.contains(where: { $0.kind == .htmlServiceUnavailable }) {
            return SimulatedResponse.response(.serviceUnavailablePage, faults: [])
        }
        if let refusal = firing.first(where: { $0.kind == .retryAfter }) {
            var tooMany = api.vendor.tooManyRequests(headers: limitHeaders)
            tooMany.headers[HTTPField.Name("Retry-After")!] = refusal.header?.value ?? "1e300"
            return SimulatedResponse.response(tooMany, faults: [])
        }
        context.firing = firing
        var response = try await next(request, context)
        for field in limitHeaders { response.headers.append(field) }
        // Hostile header values replace the vendor's own, whatever they were.
        for fault in firing where fault.kind == .header {
            if let header = fault.header, let name = HTTPField.Name(header.name) { response.headers[name] = header.value }
        }
        return response
    }
}
