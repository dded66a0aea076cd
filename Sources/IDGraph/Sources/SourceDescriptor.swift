import AsyncHTTPClient
import Foundation

/// Everything idgraph knows about one kind of source, in one value: its
/// configuration keys, how it authenticates, which facts its API exposes and
/// how to build its collector (docs/sources.md describes each).
///
/// A new source is one file that declares its ``SourceKind``, its collector and
/// this descriptor, plus one line in ``SourceRegistry/all``.
public struct SourceDescriptor: Sendable {
    /// The configuration `kind`.
    public let kind: SourceKind
    /// The product name, for reports and messages.
    public let displayName: String
    /// The keys a source of this kind takes, beyond the common ones.
    public let keys: [SourceKey]
    /// Keys this kind no longer takes, with what replaced each (shown when one is used).
    public let retiredKeys: [String: String]
    /// The API root when the vendor has one host (`base_url` is then optional): its key's default.
    public let defaultBaseURL: URL?
    /// The OAuth token endpoint when the vendor has one (Procore): the `token_url` key's default.
    public let defaultTokenURL: URL?
    /// How every request proves who it is.
    let authentication: Authentication
    /// Which facts the API exposes, recorded on each source run for the report's coverage.
    public let exposes: Exposure
    /// Whether a configured source of this kind can tell admins apart (Procore: only with
    /// `admin_permission_templates`); `exposes.admin` when absent.
    let adminExposed: (@Sendable (SourceConfiguration) -> Bool)?
    /// Whether this kind is the HR roster rather than an API.
    public let isRoster: Bool
    /// Checks a parsed source beyond its keys (a value's form); returns an error message or `nil`.
    let validate: @Sendable (SourceConfiguration) -> (key: String, message: String)?
    /// Builds the collector of a configured source.
    let makeCollector: @Sendable (SourceConfiguration, CollectorContext) -> any Collector
    /// Checks a configured source with a few cheap requests (`idgraph check`): do the credentials
    /// work and what can they see. Stores nothing.
    let check: @Sendable (SourceProbe) async -> [CheckLine]
    /// How an administrator removes an account's access, as the vendor documents it
    /// (`idgraph remediation plan`); idgraph itself never sends these requests.
    let removal: @Sendable (RemovalTarget) -> Removal

    /// Which account facts a source's API exposes.
    public struct Exposure: Sendable, Hashable {
        /// Each account's last activity (`inactive` needs it).
        public var activity: Bool
        /// Which accounts are administrators (`over-privileged` needs it).
        public var admin: Bool

        /// Creates an exposure.
        public init(activity: Bool, admin: Bool) {
            self.activity = activity
            self.admin = admin
        }
    }

    /// How a source authenticates its requests.
    enum Authentication: Sendable {
        /// No HTTP (the roster).
        case none
        /// The `token` key sent in the named header (`X-API-KEY`).
        case apiKeyHeader(String)
        /// The `token` key as `Authorization: Bearer`.
        case bearer
        /// The `api_key` key as the HTTP Basic user name, with an empty password.
        case basicUser
        /// OAuth 2.0 client credentials (`client_id`, `client_secret`, `token_url`).
        case oauthClientCredentials
    }

    init(
        kind: SourceKind, displayName: String, keys: [SourceKey], retiredKeys: [String: String] = [:],
        authentication: Authentication, exposes: Exposure,
        adminExposed: (@Sendable (SourceConfiguration) -> Bool)? = nil, isRoster: Bool = false,
        validate: @escaping @Sendable (SourceConfiguration) -> (key: String, message: String)? = { _ in nil },
        makeCollector: @escaping @Sendable (SourceConfiguration, CollectorContext) -> any Collector,
        check: @escaping @Sendable (SourceProbe) async -> [CheckLine],
        removal: @escaping @Sendable (RemovalTarget) -> Removal = { _ in .manual }
    ) {
        self.removal = removal
        self.kind = kind
        self.displayName = displayName
        self.keys = keys
        self.retiredKeys = retiredKeys
        func defaultURL(_ key: String) -> URL? {
            keys.first { $0.name == key }?.defaultValue.flatMap(URL.init(string:))
        }
        self.defaultBaseURL = defaultURL("base_url")
        self.defaultTokenURL = defaultURL("token_url")
        self.authentication = authentication
        self.exposes = exposes
        self.adminExposed = adminExposed
        self.isRoster = isRoster
        self.validate = validate
        self.makeCollector = makeCollector
        self.check = check
    }
}

extension SourceDescriptor {
    /// The keys that hold credentials (`token`, `client_secret`, …): what to check when they are refused.
    public var credentialKeys: [String] { keys.filter(\.isCredential).map(\.name) }
}

extension SourceConfiguration {
    /// Which account facts this source exposes as configured (the report's coverage).
    public var exposure: SourceDescriptor.Exposure {
        guard let descriptor else { return .init(activity: false, admin: false) }
        var exposure = descriptor.exposes
        if let adminExposed = descriptor.adminExposed { exposure.admin = exposure.admin && adminExposed(self) }
        return exposure
    }
}

/// One configuration key of a source kind.
public struct SourceKey: Sendable, Hashable {
    /// The key as written in YAML.
    public var name: String
    /// Whether a source of the kind must set it.
    public var required: Bool
    /// What the key is for, in one line: the comment `idgraph init` writes above it.
    public var summary: String
    /// The value `idgraph init` writes: the default of an optional key, an example to replace, or a
    /// credential's `${NAME}` reference (never a value).
    public var example: String
    /// The value the loader uses when the key is absent (the vendor's host), if any.
    public var defaultValue: String?
    /// Whether the value is a credential: read from the environment, never shown.
    public var isCredential = false

    /// A key that must be set; `example` is what `idgraph init` writes for the user to replace.
    static func required(_ name: String, _ summary: String, example: String) -> SourceKey {
        SourceKey(name: name, required: true, summary: summary, example: example)
    }

    /// A key that may be set; `idgraph init` writes it commented out, with `example`.
    static func optional(_ name: String, _ summary: String, example: String) -> SourceKey {
        SourceKey(name: name, required: false, summary: summary, example: example)
    }

    /// An optional key whose absence means `value` (a vendor's one host).
    static func optional(_ name: String, _ summary: String, default value: String) -> SourceKey {
        SourceKey(name: name, required: false, summary: summary, example: value, defaultValue: value)
    }

    /// A required credential, read from the environment variable `variable` in the configuration
    /// `idgraph init` writes.
    static func credential(_ name: String, _ summary: String, variable: String) -> SourceKey {
        SourceKey(name: name, required: true, summary: summary, example: "${\(variable)}", isCredential: true)
    }
}

extension SourceKey {
    /// The keys every source takes besides `name` and `kind`, whatever its kind.
    static let common: [SourceKey] = [
        .optional(
            "approved_admins", "the admins a review expects; any other admin is flagged over-privileged (absent: every admin)",
            example: "[it-admin@example.com]"),
        .optional("max_wait_seconds", "the longest single wait on a rate limit before the source fails", example: "300"),
        .optional("request_timeout_seconds", "how long one request, its body included, may take", example: "60"),
        .optional("max_concurrency", "requests in flight at once, 1 to 64", example: "4"),
        .optional("max_records", "the most records one listing may hold before the source fails", example: "5000000"),
        .optional(
            "allow_insecure_http", "allow plain http:// to a host other than this machine (test systems only)",
            example: "false"),
        .optional(
            "reviewer", "the application owner, who reviews in a campaign what no manager can", example: "app-owner@example.com"),
    ]
}

/// What a collector is built with: the run's shared parts.
struct CollectorContext: Sendable {
    /// The configuration (for the email canonicaliser).
    var configuration: Configuration
    /// The run's one HTTP client.
    var http: HTTPClient
    /// How requests are retried.
    var policy: RetryPolicy
    /// Whether a roster with no people is a successful collect (`collect --allow-empty`).
    var allowEmptyRoster = false
}
