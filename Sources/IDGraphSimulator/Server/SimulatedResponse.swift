import Hummingbird

/// A response before faults are applied: status, headers and the whole body text.
struct SimulatedResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: String

    /// A JSON response.
    static func json(_ body: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> SimulatedResponse {
        var fields = headers
        if fields[.contentType] == nil { fields[.contentType] = "application/json; charset=utf-8" }
        return SimulatedResponse(status: status, headers: fields, body: body)
    }

    /// A JSON error with one message field named as the vendor names it.
    static func error(_ status: HTTPResponse.Status, _ key: String, _ message: String, headers: HTTPFields = [:]) -> SimulatedResponse {
        var object = JSONObject()
        object.string(key, message)
        return json(object.text, status: status, headers: headers)
    }

    /// 404 for a path the system does not have.
    static func notFound(_ path: String) -> SimulatedResponse {
        error(.notFound, "error", "No route for GET \(path) on this simulated API.")
    }

    /// The HTML page a load balancer serves when the backend is down (fault `html-503`).
    static let serviceUnavailablePage = SimulatedResponse(
        status: .serviceUnavailable, headers: [.contentType: "text/html; charset=utf-8"],
        body: """
            <!DOCTYPE html>
            <html><head><title>503 Service Temporarily Unavailable</title></head>
            <body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>

            """)
}

extension SimulatedResponse {
    /// Turns a simulated response into a Hummingbird one, cutting the body for the body faults that fire.
    static func response(_ simulated: SimulatedResponse, faults: [SimulatedFault]) -> Response {
        let bodyFault = faults.first { $0.kind == .truncatedBody || $0.kind == .connectionDrop || $0.kind == .slowBody }
        let fault = bodyFault?.kind
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
        case .slowBody:
            headers[.contentLength] = String(bytes.count)
            let pause = (bodyFault?.delayMilliseconds ?? 2000) / 10
            let step = max(1, (bytes.count + 9) / 10)
            return Response(status: simulated.status, headers: headers, body: ResponseBody(contentLength: bytes.count) { writer in
                var start = 0
                while start < bytes.count {
                    try await Task.sleep(for: .milliseconds(pause))
                    try await writer.write(ByteBuffer(bytes: bytes[start..<min(start + step, bytes.count)]))
                    start += step
                }
                try await writer.finish(nil)
            })
        default:
            return Response(status: simulated.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}

/// Thrown inside a response body to make Hummingbird close the connection mid-response.
struct SimulatedConnectionDrop: Error {}

/// The parts of a GET request a vendor's route needs.
struct RouteRequest {
    /// Path segments after the base path.
    var segments: [Substring]
    /// The full path, for messages.
    var path: String
    /// Query parameters (percent-decoded).
    var query: [Substring: Substring]
    /// `http://host:port` as the client addressed it, for `Link` headers.
    var origin: String
    /// The route's parameters (`:id`).
    var parameters: Parameters

    /// The request's parts below `basePath`.
    init(_ request: Request, context: SimulatorContext, basePath: String) {
        let path = request.uri.path
        segments = path.dropFirst(basePath.count).split(separator: "/")
        self.path = path
        query = Dictionary(request.uri.queryParameters.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        origin = "http://" + (request.head.authority ?? "127.0.0.1")
        parameters = context.parameters
    }

    /// The route parameter `name` (always present on the routes that declare it).
    func parameter(_ name: String) -> String { parameters.get(name) ?? "" }

    /// An integer query parameter: nil when absent, `.failure` text when present but not an integer.
    func integer(_ name: String) -> Result<Int?, SimulatedResponseFailure> {
        guard let text = query[Substring(name)], !text.isEmpty else { return .success(nil) }
        guard let value = Int(text) else {
            return .failure(SimulatedResponseFailure(message: "Query parameter '\(name)' must be an integer, got '\(text)'."))
        }
        return .success(value)
    }
}

/// A client error found while reading a request.
struct SimulatedResponseFailure: Error {
    var message: String
}

