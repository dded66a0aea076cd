import Foundation
import Synchronization
import Yams

/// Walks the YAML node tree of a configuration, checking each key and value.
struct NodeReader {
    let file: String
    let environment: [String: String]
    let requireCredentials: Bool
    /// The source being read, named in every message about it.
    var source: String?
    /// Every value `${NAME}` was replaced with: redacted from every message.
    let substituted = Substitutions()

    static let topLevelKeys: Set<String> = [
        "database", "inactive_days", "stale_invite_days", "domain_aliases", "rules_dir", "sources", "fallback_reviewer",
        "remediation_sla_days",
    ]

    /// The keys every source takes, beyond those of its kind (``SourceDescriptor/keys``).
    static let commonSourceKeys: Set<String> = Set(["name", "kind"] + SourceKey.common.map(\.name))

    func error(_ node: Node?, _ message: String) -> ConfigurationError {
        ConfigurationError(
            file: file, line: node?.mark?.line, source: source.map(substituted.redact),
            message: substituted.redact(message))
    }

    mutating func configuration(_ root: Node.Mapping, fileURL: URL) throws(ConfigurationError) -> Configuration {
        let folder = fileURL.deletingLastPathComponent()
        for (key, _) in root {
            let name = key.string ?? ""
            if !Self.topLevelKeys.contains(name) {
                throw error(key, "Unknown key '\(name)'. Known keys: \(Self.topLevelKeys.sorted().joined(separator: ", ")).")
            }
        }
        var config = Configuration(file: fileURL, sources: [])
        if let node = root["database"] {
            config.database = URL(fileURLWithPath: try string(node, "database"), relativeTo: folder).standardizedFileURL
        }
        if let node = root["rules_dir"] {
            config.rulesDirectory = URL(fileURLWithPath: try string(node, "rules_dir"), relativeTo: folder)
                .standardizedFileURL
        }
        if let node = root["inactive_days"] { config.inactiveDays = try days(node, "inactive_days") }
        if let node = root["stale_invite_days"] { config.staleInviteDays = try days(node, "stale_invite_days") }
        if let node = root["remediation_sla_days"] { config.remediationSLADays = try days(node, "remediation_sla_days") }
        if let node = root["fallback_reviewer"] {
            // One email or a list, tried in order.
            let emails = node.scalar != nil ? [try string(node, "fallback_reviewer")] : try list(node, "fallback_reviewer")
            config.fallbackReviewers = try emails.map { email throws(ConfigurationError) in
                try reviewerEmail(email, node, "fallback_reviewer")
            }
        }
        if let node = root["domain_aliases"] {
            guard let aliases = node.mapping else {
                throw error(node, "'domain_aliases' must be a mapping of domain to domain, for example 'acme.io: acme.com'.")
            }
            for (key, value) in aliases {
                let from = try string(key, "domain_aliases key"), to = try string(value, "domain_aliases value")
                for domain in [from, to] where !Self.isDomain(domain) {
                    throw error(key, "'\(domain)' in domain_aliases is not a domain name. Write bare domains, for example 'acme.io: acme.com'.")
                }
                config.domainAliases[from] = to
            }
        }
        guard let sourcesNode = root["sources"] else {
            throw error(nil, "The configuration has no 'sources:' list. Add at least one source (see the README, \"Pointing idgraph at real systems\").")
        }
        guard case .sequence(let list) = sourcesNode, !list.isEmpty else {
            throw error(sourcesNode, "'sources' must be a non-empty list of sources, each with a name and a kind.")
        }
        var names: [String: Int] = [:]
        for item in list {
            source = nil
            let parsed = try sourceConfiguration(item, folder: folder)
            if let first = names[parsed.name] {
                throw error(item, "The source name '\(parsed.name)' is used twice (first at line \(first)). Give each source a unique name.")
            }
            names[parsed.name] = parsed.line
            config.sources.append(parsed)
        }
        source = nil
        return config
    }

    mutating func sourceConfiguration(_ node: Node, folder: URL) throws(ConfigurationError) -> SourceConfiguration {
        guard let map = node.mapping else {
            throw error(node, "Each entry of 'sources' must be a mapping with 'name' and 'kind'.")
        }
        guard let nameNode = map["name"] else {
            throw error(node, "A source has no 'name'. Give it a unique name, for example 'name: hr'.")
        }
        let name = try string(nameNode, "name")
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw error(nameNode, "The source name '\(name)' must be letters, digits, '-', '_' or '.'.")
        }
        source = name
        guard let kindNode = map["kind"] else {
            throw error(node, "The source has no 'kind'. Use one of: \(Self.kindList).")
        }
        let kindText = try string(kindNode, "kind")
        guard let descriptor = SourceKind(rawValue: kindText.lowercased()).descriptor else {
            throw error(kindNode, "Unknown kind '\(kindText)'. Use one of: \(Self.kindList).")
        }
        let kind = descriptor.kind
        let allowed = Self.commonSourceKeys.union(descriptor.keys.map(\.name))
        for (key, _) in map {
            let keyName = key.string ?? ""
            if let replacement = descriptor.retiredKeys[keyName] {
                throw error(key, "'\(keyName)' no longer applies to a \(kind.rawValue) source: \(replacement)")
            }
            if !allowed.contains(keyName) {
                throw error(key, "Unknown key '\(keyName)' for a \(kind.rawValue) source. It takes: \(allowed.sorted().joined(separator: ", ")).")
            }
        }
        for key in descriptor.keys where key.required && map[key.name] == nil {
            throw error(node, "A \(kind.rawValue) source needs '\(key.name)'. Add it to the source (see docs/sources.md).")
        }
        var result = SourceConfiguration(name: name, kind: kind, line: node.mark?.line ?? 0)
        if let n = map["path"] {
            result.path = URL(fileURLWithPath: try string(n, "path"), relativeTo: folder).standardizedFileURL
        }
        if let n = map["base_url"] { result.baseURL = try httpURL(n, "base_url") }
        if let n = map["scim_base_url"] { result.scimBaseURL = try httpURL(n, "scim_base_url") }
        if let n = map["token_url"] { result.tokenURL = try httpURL(n, "token_url") }
        result.baseURL = result.baseURL ?? descriptor.defaultBaseURL
        result.tokenURL = result.tokenURL ?? descriptor.defaultTokenURL
        let allowInsecure = try map["allow_insecure_http"].map { n throws(ConfigurationError) in try bool(n, "allow_insecure_http") } ?? false
        if let n = map["collect_tokens"] { result.collectTokens = try bool(n, "collect_tokens") }
        // Tokens must not cross a network in clear text: plain http is for a loopback host only.
        for key in ["base_url", "scim_base_url", "token_url"] {
            guard let node = map[key], let url = try? httpURL(node, key), url.scheme?.lowercased() == "http",
                !allowInsecure, !Self.isLoopback(url.host ?? "")
            else { continue }
            throw error(
                node,
                "'\(key)' uses plain http:// to \(url.host ?? "a remote host"), which would send the source's credentials unencrypted. Use https://, or set allow_insecure_http: true for a test system on a trusted network.")
        }
        if let n = map["token"] { result.token = try secret(n, "token") }
        if let n = map["api_key"] { result.apiKey = try secret(n, "api_key") }
        if let n = map["client_id"] { result.clientID = try secret(n, "client_id") }
        if let n = map["client_secret"] { result.clientSecret = try secret(n, "client_secret") }
        for key in descriptor.credentialKeys {
            if let n = map[key], case .scalar(let scalar) = n {
                result.credentialVariables[key] = Self.variables(in: scalar.string)
            }
        }
        if let n = map["user_agent"] { result.userAgent = try string(n, "user_agent") }
        if let n = map["company_id"] {
            let id = try string(n, "company_id")
            guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
                throw error(n, "'company_id' must be Procore's numeric company id, for example 'company_id: 12345'.")
            }
            result.companyID = id
        }
        if let n = map["approved_admins"] {
            result.approvedAdmins = try list(n, "approved_admins")
        }
        if let n = map["reviewer"] {
            result.reviewer = try reviewerEmail(try string(n, "reviewer"), n, "reviewer")
        }
        if let n = map["admin_permission_templates"] {
            result.adminPermissionTemplates = try list(n, "admin_permission_templates")
        }
        if let n = map["max_wait_seconds"] {
            result.maxWaitSeconds = try positiveNumber(n, "max_wait_seconds", atMost: 86_400, unit: "seconds (a day)")
        }
        if let n = map["request_timeout_seconds"] {
            result.requestTimeoutSeconds = try positiveNumber(
                n, "request_timeout_seconds", atMost: 3_600, unit: "seconds (an hour)")
        }
        if let n = map["max_concurrency"] {
            let value = try positiveNumber(n, "max_concurrency")
            guard value == value.rounded(), value <= 64 else {
                throw error(n, "'max_concurrency' must be a whole number from 1 to 64.")
            }
            result.maxConcurrency = Int(value)
        }
        if let n = map["max_records"] {
            let value = try positiveNumber(n, "max_records", atMost: 1_000_000_000)
            guard value == value.rounded() else {
                throw error(n, "'max_records' must be a whole number, for example max_records: 5000000.")
            }
            result.maxRecords = Int(value)
        }
        if let problem = descriptor.validate(result) {
            throw error(map[problem.key] ?? node, problem.message)
        }
        return result
    }

    static var kindList: String { SourceRegistry.kindList }

    /// The `${NAME}` references in `text`, in order.
    static func variables(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            names.append(String(rest[start.upperBound..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return names
    }

    /// Whether `host` is this machine (127.0.0.0/8, `localhost`, `::1`).
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    static func isDomain(_ text: String) -> Bool {
        !text.isEmpty && text.contains(".") && !text.contains("@")
            && text.allSatisfy { !$0.isWhitespace && $0 != "/" }
    }

    /// A scalar's text with `${NAME}` replaced from the environment.
    func string(_ node: Node, _ key: String) throws(ConfigurationError) -> String {
        guard case .scalar(let scalar) = node else {
            throw error(node, "'\(key)' must be a single value, not a list or mapping.")
        }
        return try substitute(scalar.string, node: node, key: key)
    }

    func substitute(_ text: String, node: Node, key: String) throws(ConfigurationError) -> String {
        guard text.contains("${") else { return text }
        var output = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw error(node, "'\(key)' has a '${' without a closing '}'. Write environment references as ${NAME}.")
            }
            let variable = String(rest[start.upperBound..<end])
            guard !variable.isEmpty, variable.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw error(node, "'\(key)' refers to '${\(variable)}', which is not a valid environment variable name.")
            }
            guard let value = environment[variable] else {
                throw error(node, "The environment variable \(variable) (for '\(key)') is not set. Export it before running idgraph, for example: export \(variable)=…")
            }
            substituted.record(value, as: variable)
            output += value
            rest = rest[rest.index(after: end)...]
        }
        return output + rest
    }

    func secret(_ node: Node, _ key: String) throws(ConfigurationError) -> Secret {
        if !requireCredentials, case .scalar(let scalar) = node,
            (try? substitute(scalar.string, node: node, key: key)) == nil
        {
            return Secret("")
        }
        let value = try string(node, key)
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw error(node, "'\(key)' is empty. Set it, usually from the environment: \(key): ${VARIABLE}.")
        }
        return Secret(value)
    }

    func httpURL(_ node: Node, _ key: String) throws(ConfigurationError) -> URL {
        let text = try string(node, key)
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw error(node, "'\(key)' is '\(text)', which is not an http(s) URL. Use the API's base URL, for example https://api.example.com/v1.")
        }
        guard url.user == nil, url.password == nil else {
            throw error(
                node,
                "'\(key)' carries credentials in the URL. Remove them: the token goes in 'token' (or 'api_key', 'client_id' and 'client_secret'), usually from the environment as ${VARIABLE}.")
        }
        guard url.query == nil, url.fragment == nil else {
            throw error(node, "'\(key)' has a query or fragment. Give the API root without one (a token goes in 'token', not in the URL).")
        }
        return url
    }

    func days(_ node: Node, _ key: String) throws(ConfigurationError) -> Int {
        let text = try string(node, key)
        guard let value = Int(text), value >= 0 else {
            throw error(node, "'\(key)' is '\(text)'; it must be a whole number of days, 0 or more.")
        }
        return value
    }

    func positiveNumber(_ node: Node, _ key: String, atMost limit: Double = 1_000_000, unit: String = "")
        throws(ConfigurationError) -> Double
    {
        let text = try string(node, key)
        guard let value = Double(text), value > 0, value.isFinite else {
            throw error(node, "'\(key)' is '\(text)'; it must be a number greater than 0.")
        }
        guard value <= limit else {
            throw error(node, "'\(key)' is '\(text)'; it must be at most \(Int(limit))\(unit.isEmpty ? "" : " " + unit).")
        }
        return value
    }

    /// A reviewer's email, lower-cased as the roster joins it; an error unless it looks like an email.
    func reviewerEmail(_ text: String, _ node: Node, _ key: String) throws(ConfigurationError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !trimmed.contains(where: \.isWhitespace) else {
            throw error(node, "'\(key)' must be a reviewer's email, as the roster lists it, for example '\(key): it-owner@acme.com'.")
        }
        return trimmed.lowercased()
    }

    func bool(_ node: Node, _ key: String) throws(ConfigurationError) -> Bool {
        switch try string(node, key).lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw error(node, "'\(key)' must be true or false.")
        }
    }

    func list(_ node: Node, _ key: String) throws(ConfigurationError) -> [String] {
        guard case .sequence(let items) = node else {
            throw error(node, "'\(key)' must be a list, for example \(key): [a, b].")
        }
        var values: [String] = []
        for item in items {
            values.append(try string(item, key))
        }
        return values
    }
}

/// The values substituted for `${NAME}` references while a configuration is read, so that no message
/// shows one: each is written back as its `${NAME}`, whatever key it was used in.
final class Substitutions: Sendable {
    private let values = Mutex<[(value: String, name: String)]>([])

    /// Records that `${name}` stood for `value`.
    func record(_ value: String, as name: String) {
        // Too short to be a secret, and replacing it would garble messages ("1", "60").
        guard value.count >= 4 else { return }
        values.withLock { values in
            guard !values.contains(where: { $0.value == value }) else { return }
            values.append((value, name))
            values.sort { $0.value.count > $1.value.count }
        }
    }

    /// `text` with every substituted value replaced by its reference.
    func redact(_ text: String) -> String {
        values.withLock { $0 }.reduce(text) { $0.replacingOccurrences(of: $1.value, with: "${\($1.name)}") }
    }
}
