import Foundation
import Hummingbird

/// One simulated system's request pipeline: stats, write refusal, auth, rate limit, faults, routes.
struct SimulatedAPI: HTTPResponder {
    typealias Context = BasicRequestContext

    let system: SimulatedSystem
    let directory: SimulatorDirectory
    let encoded: EncodedSystem
    let options: SimulatorOptions
    let state: SystemState
    let faults: [SimulatedFault]

    init(system: SimulatedSystem, directory: SimulatorDirectory, options: SimulatorOptions, state: SystemState) {
        self.system = system
        self.directory = directory
        self.encoded = directory.system(system)
        self.options = options
        self.state = state
        self.faults = options.faults.filter { $0.applies(to: system) }.sorted { "\($0)" < "\($1)" }
    }

    var company: Company { directory.company }

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if path == "/__stats" && request.method == .get {
            return Self.response(.json(state.snapshot().json), fault: nil)
        }
        state.update { $0.requests += 1 }
        var firing: [SimulatedFault] = []
        let simulated: SimulatedResponse
        if system == .procore && path == SimulatedSystem.procoreTokenPath && request.method == .post {
            state.update { $0.tokenRequests += 1 }
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            simulated = ProcoreRoutes.token(request: request, body: String(buffer: body), api: self)
        } else if request.method != .get {
            // idgraph never writes to a SaaS: any other method is refused and counted so tests can prove it.
            state.update { $0.nonGetRequests += 1 }
            simulated = .error(.methodNotAllowed, "error",
                "The simulated \(system.displayName) API is read-only here: \(request.method) \(path) is refused.",
                headers: [.allow: "GET"])
        } else if path != system.basePath && !path.hasPrefix(system.basePath + "/") {
            simulated = .notFound(path)
        } else {
            let segments = path.dropFirst(system.basePath.count).split(separator: "/")
            let route = RouteRequest(
                segments: segments, path: path, query: Dictionary(request.uri.queryParameters.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }),
                origin: "http://" + (request.head.authority ?? "127.0.0.1"))
            (simulated, firing) = try await serve(request, route)
        }
        state.record(status: Int(simulated.status.code))
        return Self.response(simulated, fault: firing.first { $0.kind == .truncatedBody || $0.kind == .connectionDrop }?.kind)
    }

    /// Authentication, rate limit, faults, then the system's routes.
    private func serve(_ request: Request, _ route: RouteRequest) async throws -> (SimulatedResponse, [SimulatedFault]) {
        let key: String
        switch authenticate(request, route) {
        case .refused(let response): return (response, [])
        case .granted(let credential): key = credential
        }
        var limitHeaders: HTTPFields = [:]
        if let limit = options.rateLimit(for: system) {
            let decision = state.admit(key: key, limit: limit)
            limitHeaders = RateLimitHeaders.fields(system, decision)
            if !decision.allowed { return (RateLimitHeaders.tooManyRequests(system, headers: limitHeaders), []) }
        }
        let firing = state.firingFaults(faults, segments: route.segments)
        if let slow = firing.first(where: { $0.kind == .slowResponse }) {
            try await Task.sleep(for: .milliseconds(slow.delayMilliseconds))
        }
        if firing.contains(where: { $0.kind == .htmlServiceUnavailable }) {
            return (.serviceUnavailablePage, firing)
        }
        var response = routes(route)
        for field in limitHeaders { response.headers.append(field) }
        return (response, firing)
    }

    private func authenticate(_ request: Request, _ route: RouteRequest) -> Authentication {
        switch system {
        case .processStreet: Authentication.bearer(request, valid: validTokens(Company.CredentialName.processStreetToken), message: ("message", "Unauthorized"))
        case .proofHub: ProofHubRoutes.authenticate(request, valid: validTokens(Company.CredentialName.proofHubToken))
        case .streak: StreakRoutes.authenticate(request, route, valid: validTokens(Company.CredentialName.streakAPIKey))
        case .processMaker: Authentication.bearer(request, valid: validTokens(Company.CredentialName.processMakerToken), message: ("message", "Unauthenticated."))
        case .procore: ProcoreRoutes.authenticate(request, api: self)
        }
    }

    private func validTokens(_ name: String) -> Set<String> {
        Set([company.credentials[name]].compactMap { $0 } + (options.additionalTokens[system] ?? []))
    }

    private func routes(_ route: RouteRequest) -> SimulatedResponse {
        switch system {
        case .processStreet: ProcessStreetRoutes.respond(route, encoded)
        case .proofHub: ProofHubRoutes.respond(route, encoded)
        case .streak: StreakRoutes.respond(route, encoded, company: company)
        case .processMaker: ProcessMakerRoutes.respond(route, encoded)
        case .procore: ProcoreRoutes.respond(route, encoded, company: company)
        }
    }

    /// Turns a simulated response into a Hummingbird one, cutting the body for the body faults.
    static func response(_ simulated: SimulatedResponse, fault: FaultKind?) -> Response {
        let bytes = Array(simulated.body.utf8)
        var headers = simulated.headers
        switch fault {
        case .truncatedBody:
            let cut = ByteBuffer(bytes: bytes.prefix(bytes.count * 6 / 10))
            headers[.contentLength] = String(cut.readableBytes)
            return Response(status: simulated.status, headers: headers, body: ResponseBody(byteBuffer: cut))
        case .connectionDrop:
            // Promise the whole body, send part of it, then fail the write so the server closes the connection.
            headers[.contentLength] = String(bytes.count)
            let part = ByteBuffer(bytes: bytes.prefix(bytes.count / 2))
            return Response(status: simulated.status, headers: headers, body: ResponseBody(contentLength: bytes.count) { writer in
                try await writer.write(part)
                throw SimulatedConnectionDrop()
            })
        default:
            return Response(status: simulated.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}

/// Thrown inside a response body to make Hummingbird close the connection mid-response.
struct SimulatedConnectionDrop: Error {}

/// The outcome of checking a request's credentials.
enum Authentication {
    /// Allowed; the credential keys the rate-limit window.
    case granted(String)
    /// Refused with this response.
    case refused(SimulatedResponse)

    /// `Authorization: Bearer <token>` against a set of valid tokens.
    static func bearer(_ request: Request, valid: Set<String>, message: (String, String)) -> Authentication {
        guard let token = bearerToken(request), valid.contains(token) else {
            return .refused(.error(.unauthorized, message.0, message.1, headers: [.wwwAuthenticate: "Bearer"]))
        }
        return .granted(token)
    }

    /// The token of an `Authorization: Bearer` header.
    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}
