import Hummingbird

/// A response before faults are applied: status, headers and the whole body text.
struct SimulatedResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: String

    /// A JSON response.
    static func json(_ body: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> SimulatedResponse {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
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

/// The parts of a GET request a routes file needs.
struct RouteRequest {
    /// Path segments after the base path.
    var segments: [Substring]
    /// The full path, for messages.
    var path: String
    /// Query parameters (percent-decoded).
    var query: [Substring: Substring]
    /// `http://host:port` as the client addressed it, for `Link` headers.
    var origin: String

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

/// Page arithmetic shared by the routes files.
enum Paging {
    /// `offset`/`limit` paging; a `limit` above `maximum` is silently clamped.
    static func offsetSlice(count: Int, offset: Int?, limit: Int?, defaultLimit: Int, maximum: Int) -> Range<Int> {
        let start = min(max(offset ?? 0, 0), count)
        let size = min(max(limit ?? defaultLimit, 1), maximum)
        return start..<min(start + size, count)
    }

    /// 1-based page numbers; a page below 1 is page 1 and `per_page` is clamped to 1...maximum.
    static func pageSlice(count: Int, page: Int?, perPage: Int?, defaultSize: Int, maximum: Int) -> (range: Range<Int>, page: Int, perPage: Int) {
        let size = min(max(perPage ?? defaultSize, 1), maximum)
        let number = max(page ?? 1, 1)
        let (start, overflow) = (number - 1).multipliedReportingOverflow(by: size)
        let from = overflow ? count : min(start, count)
        return (from..<min(from + size, count), number, size)
    }
}
