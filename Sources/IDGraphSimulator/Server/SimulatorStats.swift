/// Request counters of one simulated system, as `GET /__stats` reports them.
public struct SimulatorStats: Sendable, Hashable {
    /// Every request except `/__stats` itself.
    public var requests = 0
    /// Responses with status 429.
    public var rateLimited = 0
    /// Responses with status 401.
    public var unauthorized = 0
    /// Responses with any 4xx status (including 401 and 429).
    public var clientErrors = 0
    /// Responses with any 5xx status (including injected faults).
    public var serverErrors = 0
    /// Requests with a method other than GET to an API endpoint. idgraph never writes to a SaaS: must stay zero.
    public var nonGetRequests = 0
    /// Requests to Procore's OAuth token endpoint.
    public var tokenRequests = 0
    /// Faults injected (truncated bodies, HTML 503 pages, dropped connections, slow responses).
    public var faultsInjected = 0

    /// An all-zero record.
    public init() {}

    /// The JSON `/__stats` serves.
    var json: String {
        var object = JSONObject()
        object.int("requests", requests)
        object.int("rateLimited", rateLimited)
        object.int("unauthorized", unauthorized)
        object.int("clientErrors", clientErrors)
        object.int("serverErrors", serverErrors)
        object.int("nonGetRequests", nonGetRequests)
        object.int("tokenRequests", tokenRequests)
        object.int("faultsInjected", faultsInjected)
        return object.text
    }
}
