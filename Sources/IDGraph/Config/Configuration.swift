import Foundation

/// A validated idgraph configuration (the README, "Configuration").
public struct Configuration: Sendable {
    /// The file it was read from, for messages and relative paths.
    public var file: URL
    /// The graph database (`database:`), resolved against the config file's folder.
    public var database: URL?
    /// Days without activity after which an active account is `inactive`.
    public var inactiveDays: Int
    /// Days after which an unaccepted invitation is a `stale-invite`.
    public var staleInviteDays: Int
    /// Emails at a key domain join as the value domain.
    public var domainAliases: [String: String]
    /// A folder of the user's own rules, run after the built-in ones.
    public var rulesDirectory: URL?
    /// The sources, in the order the file lists them.
    public var sources: [SourceConfiguration]
    /// Who reviews an account when neither the person's manager nor the
    /// source's `reviewer` can (`fallback_reviewer`), tried in order.
    public var fallbackReviewers: [String] = []
    /// Days from a revoke or modify decision to the remediation's due date (`remediation_sla_days`).
    public var remediationSLADays: Int = 14

    /// Creates a configuration; ``ConfigurationLoader`` is the usual way.
    public init(
        file: URL, database: URL? = nil, inactiveDays: Int = 90, staleInviteDays: Int = 30,
        domainAliases: [String: String] = [:], rulesDirectory: URL? = nil,
        sources: [SourceConfiguration]
    ) {
        self.file = file
        self.database = database
        self.inactiveDays = inactiveDays
        self.staleInviteDays = staleInviteDays
        self.domainAliases = domainAliases
        self.rulesDirectory = rulesDirectory
        self.sources = sources
    }

    /// The canonicaliser for this configuration's domain aliases.
    public var canonicalizer: EmailCanonicalizer { EmailCanonicalizer(domainAliases: domainAliases) }

    /// The source named `name`, if configured.
    public func source(named name: String) -> SourceConfiguration? {
        sources.first { $0.name == name }
    }

    /// The sources `names` selects (`--source`; all when empty), in the file's order, or a usage
    /// error naming one that is not configured.
    public func sources(named names: [String]) throws(ConfigurationError) -> [SourceConfiguration] {
        guard !names.isEmpty else { return sources }
        for name in names where source(named: name) == nil {
            throw ConfigurationError(
                file: file.path, source: name,
                message: "--source names a source that is not in the configuration. Configured: \(sources.map(\.name).joined(separator: ", ")).")
        }
        return sources.filter { names.contains($0.name) }
    }
}

/// One configured source: a roster file or a SaaS API instance.
///
/// Fields that a kind does not use are `nil`; ``ConfigurationLoader`` checks
/// that each kind has what it needs.
public struct SourceConfiguration: Sendable {
    /// The unique instance name, used in every report.
    public var name: String
    /// Which system it is.
    public var kind: SourceKind
    /// The line of the config file where the source starts.
    public var line: Int
    /// Roster: the CSV file.
    public var path: URL?
    /// APIs: the base URL that endpoint paths are appended to (the vendor's
    /// host when the kind has one and the key is absent).
    public var baseURL: URL?
    /// Process Street: the SCIM 2.0 root (Enterprise), for groups and the active flag.
    public var scimBaseURL: URL?
    /// The API token (Process Street and ProofHub `X-API-KEY`, ProcessMaker Bearer).
    public var token: Secret?
    /// Streak's API key.
    public var apiKey: Secret?
    /// Procore's OAuth token endpoint.
    public var tokenURL: URL?
    /// Procore's OAuth client id.
    public var clientID: Secret?
    /// Procore's OAuth client secret.
    public var clientSecret: Secret?
    /// Procore's company id.
    public var companyID: String?
    /// Admins that are approved; `nil` when the key is absent (every admin is flagged).
    public var approvedAdmins: [String]?
    /// The application owner, who reviews accounts whose person has no manager who can (`reviewer`).
    public var reviewer: String?
    /// ProcessMaker: read every user's personal access tokens (`collect_tokens`), one request a user.
    public var collectTokens = false
    /// Procore permission templates (ids or names) that make an account an admin.
    public var adminPermissionTemplates: [String]
    /// The `User-Agent` header to send (ProofHub requires `AppName (email)`).
    public var userAgent: String?
    /// The longest single wait on a rate limit before the source fails.
    public var maxWaitSeconds: Double
    /// How long one request may take before it is retried.
    public var requestTimeoutSeconds: Double
    /// How many requests of this source may be in flight at once.
    public var maxConcurrency: Int
    /// The most records one listing of this source may hold: a server whose paging never ends fails
    /// the source instead of holding a collect forever (`max_records`).
    public var maxRecords: Int = 5_000_000
    /// The environment variables each credential key was read from (`client_secret` →
    /// `PROCORE_CLIENT_SECRET`): named in advice, so a user knows what to fix without a value being shown.
    public var credentialVariables: [String: [String]] = [:]

    /// Creates a source configuration with the defaults of the config file.
    public init(
        name: String, kind: SourceKind, line: Int = 0, path: URL? = nil, baseURL: URL? = nil, scimBaseURL: URL? = nil,
        token: Secret? = nil, apiKey: Secret? = nil, tokenURL: URL? = nil, clientID: Secret? = nil,
        clientSecret: Secret? = nil, companyID: String? = nil, approvedAdmins: [String]? = nil,
        adminPermissionTemplates: [String] = [], userAgent: String? = nil,
        maxWaitSeconds: Double = 300, requestTimeoutSeconds: Double = 60, maxConcurrency: Int = 4
    ) {
        self.name = name
        self.kind = kind
        self.line = line
        self.path = path
        self.baseURL = baseURL
        self.scimBaseURL = scimBaseURL
        self.token = token
        self.apiKey = apiKey
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.companyID = companyID
        self.approvedAdmins = approvedAdmins
        self.adminPermissionTemplates = adminPermissionTemplates
        self.userAgent = userAgent
        self.maxWaitSeconds = maxWaitSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.maxConcurrency = maxConcurrency
    }

    /// The descriptor of this source's kind (every configured source has one:
    /// the loader refuses unknown kinds).
    public var descriptor: SourceDescriptor? { kind.descriptor }

    /// Configuration keys named for a message, each with the environment variable it was read from:
    /// `'client_id' (from ${PROCORE_CLIENT_ID}) and 'client_secret' (from ${PROCORE_CLIENT_SECRET})`.
    public func describeKeys(_ keys: [String]) -> String {
        let named = keys.map { key in
            let variables = credentialVariables[key] ?? []
            return variables.isEmpty ? "'\(key)'" : "'\(key)' (from \(variables.map { "${\($0)}" }.joined(separator: ", ")))"
        }
        switch named.count {
        case 0: return "the credentials"
        case 1: return named[0]
        default: return named.dropLast().joined(separator: ", ") + " and " + named.last!
        }
    }
}
