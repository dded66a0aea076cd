import Foundation
import Testing

@testable import IDGraph

@Suite struct ConfigurationTests {
    let environment = ["PS_TOKEN": "ps-secret-123", "STREAK_KEY": "streak-secret-456", "EMPTY": ""]

    func load(_ yaml: String, environment: [String: String]? = nil) throws(ConfigurationError) -> Configuration {
        try ConfigurationLoader(environment: environment ?? self.environment).parse(yaml, file: "/etc/idgraph/test.yaml")
    }

    func error(_ yaml: String, environment: [String: String]? = nil) -> ConfigurationError? {
        do {
            _ = try load(yaml, environment: environment)
            return nil
        } catch {
            return error
        }
    }

    @Test func fullSpecExampleLoads() throws {
        let env = [
            "PROCESS_STREET_TOKEN": "a", "PROOFHUB_TOKEN": "b", "STREAK_API_KEY": "c", "PROCESSMAKER_TOKEN": "d",
            "PROCORE_CLIENT_ID": "e", "PROCORE_CLIENT_SECRET": "f",
        ]
        let config = try load(ConfigFixtures.specExample, environment: env)
        #expect(config.sources.map(\.kind) == [.roster, .processStreet, .proofHub, .streak, .processMaker, .procore])
        #expect(config.inactiveDays == 90)
        #expect(config.staleInviteDays == 30)
        #expect(config.domainAliases == ["acme.io": "acme.com"])
        #expect(config.database?.path == "/etc/idgraph/idgraph.sqlite")
        #expect(config.sources[0].path?.path == "/etc/idgraph/hr.csv")
        #expect(config.sources[1].approvedAdmins == ["it-admin@acme.com"])
        #expect(config.sources[2].approvedAdmins == nil)
        #expect(config.sources[5].companyID == "12345")
        #expect(config.sources[5].adminPermissionTemplates == ["101", "Company Admin"])
        #expect(config.sources[5].clientSecret?.reveal() == "f")
        #expect(config.sources[3].apiKey?.reveal() == "c")
        // The vendors' single hosts are the defaults; ProofHub and ProcessMaker name their own.
        #expect(config.sources[1].baseURL?.absoluteString == "https://public-api.process.st/api/v1.1")
        #expect(config.sources[1].scimBaseURL?.absoluteString == "https://public-api.process.st/api/scim")
        #expect(config.sources[3].baseURL?.absoluteString == "https://api.streak.com/api")
        #expect(config.sources[5].baseURL?.absoluteString == "https://api.procore.com/rest/v1.0")
        #expect(config.sources[5].tokenURL?.absoluteString == "https://login.procore.com/oauth/token")
        #expect(config.sources[2].userAgent == "idgraph (it-security@acme.com)")
        // Coverage: Process Street exposes no admins or activity; Procore's admins need templates.
        #expect(config.sources[1].exposure == .init(activity: false, admin: false))
        #expect(config.sources[5].exposure == .init(activity: true, admin: true))
        var noTemplates = config.sources[5]
        noTemplates.adminPermissionTemplates = []
        #expect(noTemplates.exposure == .init(activity: true, admin: false))
    }

    @Test(arguments: [
        ("sources:\n  - name: ph\n    kind: proofhub\n    base_url: https://a.proofhub.com/api/v3\n    token: ${PS_TOKEN}\n", 2, "needs 'user_agent'"),
        ("sources:\n  - name: ph\n    kind: proofhub\n    base_url: https://a.proofhub.com/api/v3\n    token: ${PS_TOKEN}\n    user_agent: idgraph\n", 6, "user_agent: \"idgraph (it-security@example.com)\""),
        ("sources:\n  - name: s\n    kind: streak\n    token: ${STREAK_KEY}\n", 4, "'token' no longer applies to a streak source: Streak's key goes in 'api_key'"),
        ("sources:\n  - name: s\n    kind: streak\n    base_url: https://api.streak.com/api/v1\n    api_key: ${STREAK_KEY}\n", 4, "use the API root, https://api.streak.com/api"),
        ("sources:\n  - name: ps\n    kind: processstreet\n    base_url: https://api.process.st/api/v1\n    token: ${PS_TOKEN}\n", 4, "https://public-api.process.st/api/v1.1"),
        ("sources:\n  - name: pc\n    kind: procore\n    token: x\n    client_id: a\n    client_secret: b\n    company_id: 1\n", 4, "set 'client_id' and 'client_secret'"),
        ("sources:\n  - name: pm\n    kind: processmaker\n    token: ${PS_TOKEN}\n", 2, "needs 'base_url'"),
    ] as [(String, Int?, String)])
    func theVendorsRealKeysAreRequiredAndOldOnesExplained(yaml: String, line: Int?, message: String) {
        let e = error(yaml)
        #expect(e?.description.contains(message) == true, "\(e?.description ?? "no error")")
        if let line { #expect(e?.line == line, "\(e?.description ?? "")") }
        #expect(e?.exitStatus == .usage)
        #expect(e?.description.contains("ps-secret-123") == false)
        #expect(e?.description.contains("streak-secret-456") == false)
    }

    @Test func missingVariableNamesTheVariableAndTheSource() {
        let e = error("""
            sources:
              - name: ps
                kind: processstreet
                base_url: https://public-api.process.st/api/v1.1
                token: ${NOT_SET_ANYWHERE}
            """)
        #expect(e?.source == "ps")
        #expect(e?.line == 5)
        #expect(e?.description.contains("NOT_SET_ANYWHERE") == true)
        #expect(e?.exitStatus == .usage)
    }

    @Test(arguments: [
        ("sources:\n  - name: x\n    kind: okta\n", 3, "Unknown kind 'okta'"),
        ("sources:\n  - name: hr\n    kind: roster\n    path: a.csv\n  - name: hr\n    kind: roster\n    path: b.csv\n", 5, "used twice"),
        ("sources:\n  - name: ps\n    kind: processstreet\n    base_url: not a url\n    token: ${PS_TOKEN}\n", 4, "not an http(s) URL"),
        ("sources:\n  - name: ps\n    kind: processstreet\n    base_url: ftp://x.example.com\n    token: ${PS_TOKEN}\n", 4, "not an http(s) URL"),
        ("inactive_days: -5\nsources:\n  - name: hr\n    kind: roster\n    path: a.csv\n", 1, "0 or more"),
        ("stale_invite_days: soon\nsources:\n  - name: hr\n    kind: roster\n    path: a.csv\n", 1, "whole number"),
        ("sources:\n  - name: ps\n    kind: processstreet\n    tokn: ${PS_TOKEN}\n", 4, "Unknown key 'tokn'"),
        ("sources:\n  - name: hr\n    kind: roster\n    path: a.csv\n    tokn: x\n", 5, "Unknown key 'tokn'"),
        ("sourcs: []\n", 1, "Unknown key 'sourcs'"),
        ("database: x.db\n", nil, "no 'sources:'"),
        ("sources:\n  - kind: roster\n    path: a.csv\n", 2, "no 'name'"),
        ("sources:\n  - name: ps\n    kind: processstreet\n    base_url: https://a.example.com\n    token: ${EMPTY}\n", 5, "is empty"),
        ("sources:\n  - name: pc\n    kind: procore\n    base_url: https://a.example.com\n    token_url: https://l.example.com/t\n    client_id: a\n    client_secret: b\n    company_id: acme\n", 8, "numeric company id"),
        ("sources: [\n", nil, "not valid YAML"),
    ] as [(String, Int?, String)])
    func invalidConfigurationIsRejected(yaml: String, line: Int?, message: String) {
        let e = error(yaml)
        #expect(e != nil, "expected an error for:\n\(yaml)")
        #expect(e?.description.contains(message) == true, "\(e?.description ?? "no error")")
        if let line { #expect(e?.line == line, "\(e?.description ?? "")") }
        #expect(e?.exitStatus == .usage)
    }

    @Test func reviewNeedsNoCredentials() throws {
        let yaml = """
            inactive_days: ${DAYS}
            sources:
              - name: ps
                kind: processstreet
                base_url: https://public-api.process.st/api/v1.1
                token: ${NOT_SET_ANYWHERE}
            """
        let config = try ConfigurationLoader(environment: ["DAYS": "60"], requireCredentials: false).parse(yaml, file: "x.yaml")
        #expect(config.sources[0].token?.isEmpty == true)
        #expect(config.inactiveDays == 60)
        // Other fields still need their variables.
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader(environment: [:], requireCredentials: false).parse(yaml, file: "x.yaml")
        }
    }

    @Test func missingFileNamesThePath() {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader().load(path: "/nonexistent/idgraph.yaml")
        }
        do {
            _ = try ConfigurationLoader().load(path: "/nonexistent/idgraph.yaml")
        } catch {
            #expect(error.description.contains("/nonexistent/idgraph.yaml"))
        }
    }

    @Test func secretsNeverAppearInDescriptions() throws {
        let config = try load("""
            sources:
              - name: streak
                kind: streak
                base_url: https://api.streak.com/api
                api_key: ${STREAK_KEY}
              - name: ps
                kind: processstreet
                base_url: https://public-api.process.st/api/v1.1
                token: ${PS_TOKEN}
            """)
        let texts = [
            "\(config)", String(describing: config.sources), String(reflecting: config.sources[0]),
            "\(config.sources[1].token!)", String(reflecting: config.sources[1].token!),
            { var s = ""; dump(config, to: &s); return s }(),
        ]
        for text in texts {
            #expect(!text.contains("ps-secret-123"))
            #expect(!text.contains("streak-secret-456"))
        }
        #expect(config.sources[1].token?.reveal() == "ps-secret-123")
        #expect(texts[3] == "[redacted]")
    }

    @Test func errorsAboutASecretDoNotContainIt() {
        // A secret-bearing value that fails validation elsewhere must not be echoed.
        let e = error("""
            sources:
              - name: ps
                kind: processstreet
                base_url: https://public-api.process.st/api/v1.1
                token: ${PS_TOKEN}
                max_concurrency: 500
            """)
        #expect(e != nil)
        #expect(e?.description.contains("ps-secret-123") == false)
    }
}

/// A substituted value never appears in a configuration error, whatever key it was used in.
@Suite struct ConfigurationSecretTests {
    static let secret = "s3cr3t-VALUE-7788"

    @Test(arguments: [
        "inactive_days: ${SECRET}\nsources:\n  - name: hr\n    kind: roster\n    path: a.csv\n",
        "domain_aliases:\n  ${SECRET}: acme.com\nsources:\n  - name: hr\n    kind: roster\n    path: a.csv\n",
        "sources:\n  - name: hr\n    kind: ${SECRET}\n",
        "sources:\n  - name: x${SECRET}!\n    kind: roster\n",
        "sources:\n  - name: ${SECRET}\n    kind: roster\n    path: a.csv\n    max_concurrency: 500\n",
        "sources:\n  - name: pm\n    kind: processmaker\n    base_url: https://pm.example.com/api?key=${SECRET}\n    token: x\n",
        "sources:\n  - name: pm\n    kind: processmaker\n    base_url: https://admin:${SECRET}@pm.example.com/api/1.0\n    token: x\n",
        "sources:\n  - name: pm\n    kind: processmaker\n    base_url: not a url ${SECRET}\n    token: x\n",
        "sources:\n  - name: ps\n    kind: processstreet\n    base_url: https://api.process.st/${SECRET}\n    token: x\n",
    ])
    func substitutedValuesAreRedacted(yaml: String) {
        do {
            _ = try ConfigurationLoader(environment: ["SECRET": Self.secret]).parse(yaml, file: "x.yaml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(!error.description.contains(Self.secret), "\(error.description)")
            #expect(!error.description.contains("s3cr3t"), "\(error.description)")
        }
    }

    @Test func credentialsInABaseURLAreRefusedWithTheKeyToUse() {
        do {
            _ = try ConfigurationLoader(environment: [:]).parse(
                "sources:\n  - name: pm\n    kind: processmaker\n    base_url: https://admin:pw@pm.example.com/api/1.0\n    token: x\n",
                file: "x.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("carries credentials in the URL"))
            #expect(error.description.contains("'token'"))
            #expect(!error.description.contains("admin:pw"))
        }
    }

    @Test func plainHTTPIsForLoopbackOnlyUnlessAllowed() throws {
        let remote = "sources:\n  - name: pm\n    kind: processmaker\n    base_url: http://pm.example.com/api/1.0\n    token: x\n"
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader(environment: [:]).parse(remote, file: "x.yaml") }
        do {
            _ = try ConfigurationLoader(environment: [:]).parse(remote, file: "x.yaml")
        } catch {
            #expect(error.description.contains("allow_insecure_http: true"))
            #expect(error.line == 4)
        }
        let allowed = try ConfigurationLoader(environment: [:]).parse(remote + "    allow_insecure_http: true\n", file: "x.yaml")
        #expect(allowed.sources[0].baseURL?.host == "pm.example.com")
        for host in ["127.0.0.1:8080", "localhost", "[::1]:9000"] {
            let local = try ConfigurationLoader(environment: [:]).parse(
                "sources:\n  - name: pm\n    kind: processmaker\n    base_url: http://\(host)/api/1.0\n    token: x\n", file: "x.yaml")
            #expect(local.sources[0].baseURL != nil)
        }
    }
}

enum ConfigFixtures {
    /// The example of the README, "Configuration".
    static let specExample = """
        database: idgraph.sqlite        # optional; --db overrides
        inactive_days: 90               # optional, default 90
        stale_invite_days: 30           # optional, default 30
        domain_aliases:                 # optional: emails at the key domain join as the value domain
          acme.io: acme.com
        sources:
          - name: hr                    # unique instance name, used in every report
            kind: roster
            path: hr.csv                # relative to the config file
          - name: process-street
            kind: processstreet
            token: ${PROCESS_STREET_TOKEN}  # base_url defaults to https://public-api.process.st/api/v1.1
            scim_base_url: https://public-api.process.st/api/scim   # optional (Enterprise): groups and active flag
            approved_admins: [it-admin@acme.com]
          - name: proofhub
            kind: proofhub
            base_url: https://acme.proofhub.com/api/v3
            token: ${PROOFHUB_TOKEN}
            user_agent: "idgraph (it-security@acme.com)"   # required by ProofHub
          - name: streak
            kind: streak
            api_key: ${STREAK_API_KEY}      # base_url defaults to https://api.streak.com/api
          - name: processmaker
            kind: processmaker
            base_url: https://pm.acme.com/api/1.0
            token: ${PROCESSMAKER_TOKEN}
          - name: procore
            kind: procore
            client_id: ${PROCORE_CLIENT_ID}
            client_secret: ${PROCORE_CLIENT_SECRET}
            company_id: 12345
            admin_permission_templates: [101, "Company Admin"]   # ids or names
        """
}
