/// Pulls one source's data into the graph.
///
/// A collector says which endpoints to read and how one JSON object (or CSV
/// row) becomes an ``Account``, ``Container``, ``Membership`` or ``Person``; it
/// hands records to the ``SourceSink`` page by page. Paging, retries, rate
/// limits and auth belong to the shared HTTP layer, not to a collector.
public protocol Collector: Sendable {
    /// Collects everything into `sink`; throws when the source cannot be
    /// collected completely (the run is then failed and its rows dropped).
    func collect(into sink: SourceSink) async throws
}

/// A source that could not be collected: the source, where, and what to do.
public struct CollectionError: IDGraphError {
    /// The source's instance name.
    public var source: String
    /// Where it failed: a URL path (without query), a file and line.
    public var location: String?
    /// What failed and what to do.
    public var message: String
    /// The HTTP status the API answered with, when that is what failed.
    public var httpStatus: Int?
    /// What failed underneath, when the HTTP layer knows: `check` turns it into advice.
    var cause: Cause?

    /// What a request ran into.
    enum Cause: Sendable, Hashable {
        /// The API answered with this HTTP status (after the retries that apply to it).
        case status(Int)
        /// The OAuth token endpoint refused the client credentials with this HTTP status.
        case tokenRefused(Int)
        /// No complete response from `host` (`name:port`).
        case transport(Transport.Failure, host: String)
    }

    /// Creates a collection error.
    public init(source: String, location: String? = nil, message: String, httpStatus: Int? = nil) {
        self.source = source
        self.location = location
        self.message = message
        self.httpStatus = httpStatus
    }

    public var exitStatus: ExitStatus { .failure }
    public var description: String {
        if let location { return "source '\(source)' (\(location)): \(message)" }
        return "source '\(source)': \(message)"
    }
}
