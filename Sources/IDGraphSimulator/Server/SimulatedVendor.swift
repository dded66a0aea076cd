import HTTPTypes
import Hummingbird

/// One simulated SaaS vendor: how it encodes the company, authenticates, reports its rate limit and
/// which routes it serves, as the vendor's own documentation describes them (docs/sources.md).
///
/// A vendor registers its routes on a `RouterGroup` at its base path; the shared pipeline in front of
/// it (``VendorMiddleware``) counts, authenticates through ``authenticate(_:_:)``, rate-limits and
/// injects faults, so a vendor file holds only what differs between vendors.
protocol SimulatedVendor {
    /// The path prefix of the API root.
    static var basePath: String { get }
    /// The product name.
    static var displayName: String { get }
    /// The source name in the generated configuration.
    static var sourceName: String { get }
    /// Whether accounts carry a last-activity date.
    static var exposesActivity: Bool { get }
    /// The documented rate limit, `nil` when the API has none by default.
    static var standardRateLimit: RateLimit? { get }
    /// Encodes what the company's records look like on this vendor's wire.
    static func encode(_ records: SystemRecords, company: Company) -> EncodedSystem
    /// Checks the request's credentials.
    static func authenticate(_ request: Request, _ api: VendorAPI) -> Authentication
    /// The rate-limit headers on an admitted response and on a 429.
    static func rateLimitFields(_ decision: RollingWindow.Decision) -> HTTPFields
    /// The vendor's 429 response.
    static func tooManyRequests(headers: HTTPFields) -> SimulatedResponse
    /// Registers the API routes (behind authentication, the rate limit and faults).
    static func addRoutes(to group: RouterGroup<SimulatorContext>, _ api: VendorAPI)
    /// Registers routes outside the authenticated API (Procore's token endpoint); none by default.
    static func addPublicRoutes(to router: Router<SimulatorContext>, _ api: VendorAPI)
    /// Further API roots served with the same authentication (Process Street's SCIM); none by default.
    static var additionalBasePaths: [String] { get }
    /// Registers the routes of an additional root.
    static func addRoutes(to group: RouterGroup<SimulatorContext>, at basePath: String, _ api: VendorAPI)
    /// The source's lines of the generated configuration, after `name` and `kind`.
    static func configLines(company: Company, baseURL: String) -> [String]
    /// Paths that may be requested with POST (the token endpoint); everything else is read-only.
    static var writablePaths: Set<String> { get }
    /// The fewest requests a client needs to read everything `records` serves, asking for the page sizes
    /// idgraph asks for and ending each list where the vendor says it ends (docs/sources.md, "Paging").
    static func fewestRequests(_ records: SystemRecords) -> Int
    /// How the simulator benchmark lists every user: page `index`'s path and query below the base path,
    /// the records a full page holds (`nil`: one response), and the request headers besides a Bearer token.
    static func benchmarkPage(_ index: Int, company: Company) -> String
    /// See ``benchmarkPage(_:company:)``.
    static var benchmarkPageSize: Int? { get }
    /// See ``benchmarkPage(_:company:)``.
    static func benchmarkHeaders(company: Company) -> [String: String]
}

extension SimulatedVendor {
    static func addPublicRoutes(to router: Router<SimulatorContext>, _ api: VendorAPI) {}
    static var additionalBasePaths: [String] { [] }
    static func addRoutes(to group: RouterGroup<SimulatorContext>, at basePath: String, _ api: VendorAPI) {}
    static var writablePaths: Set<String> { [] }
}

/// Page arithmetic for ``SimulatedVendor/fewestRequests(_:)``.
enum PageCount {
    /// Pages of a list of `count` whose first page tells the total (or whose last page says it is the last).
    static func withTotal(_ count: Int, pageSize: Int) -> Int { max(1, (count + pageSize - 1) / pageSize) }

    /// Pages of a list with no total and no end marker: every page with records, then an empty one.
    static func untilEmpty(_ count: Int, pageSize: Int) -> Int { count == 0 ? 1 : (count + pageSize - 1) / pageSize + 1 }
}

/// The request context of the simulated servers: what the shared pipeline learnt before a route runs.
struct SimulatorContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The faults firing on this request, applied to the response body.
    var firing: [SimulatedFault] = []
    /// The credential the request was admitted with.
    var credential = ""

    init(source: Source) {
        coreContext = .init(source: source)
    }
}

/// What a vendor's routes serve from: the company, its encoding, the options and the counters.
struct VendorAPI: Sendable {
    let system: SimulatedSystem
    let directory: SimulatorDirectory
    let encoded: EncodedSystem
    let options: SimulatorOptions
    let state: SystemState

    var company: Company { directory.company }
    var vendor: any SimulatedVendor.Type { system.vendor }

    /// The tokens this vendor accepts: the company's credential and any additional ones.
    func validTokens(_ credential: String) -> Set<String> {
        Set([company.credentials[credential]].compactMap { $0 } + (options.additionalTokens[system] ?? []))
    }

    /// The records a page serves: `start` and a size clamped to `maximum` (and to the clamp the options
    /// set); every record when the options make this system ignore paging.
    func slice(count: Int, start: Int, size: Int?, defaultSize: Int, maximum: Int) -> Range<Int> {
        if options.pagingIgnored.contains(system) { return 0..<count }
        let limit = min(max(size ?? defaultSize, 1), maximum, options.pageSizeLimits[system] ?? .max)
        let from = options.repeatedPages.contains(system) ? 0 : min(max(start, 0), count)
        return from..<min(from + limit, count)
    }

    /// The total a list of `count` reports: one more with the `overstate-total` variant.
    func reportedTotal(_ count: Int) -> Int { options.overstatedTotals.contains(system) ? count + 1 : count }

    /// A route handler: the request's parts in, a simulated response out, faults applied.
    func serve(
        _ request: Request, _ context: SimulatorContext, basePath: String,
        _ body: (RouteRequest) -> SimulatedResponse
    ) -> Response {
        let route = RouteRequest(request, context: context, basePath: basePath)
        return SimulatedResponse.response(body(route), faults: context.firing)
    }
}

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

    /// The token in a header of its own (`X-API-KEY`) against a set of valid tokens.
    static func header(_ name: HTTPField.Name, _ request: Request, valid: Set<String>, refusal: SimulatedResponse) -> Authentication {
        guard let token = request.headers[name]?.trimmingCharacters(in: .whitespaces), valid.contains(token) else {
            return .refused(refusal)
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
