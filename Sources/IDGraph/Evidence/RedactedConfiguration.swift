import Foundation

/// The configuration file as it goes into an evidence pack: every credential
/// written in it replaced by `[redacted]`. A `${VARIABLE}` reference stays, since
/// it names where the secret comes from without being one.
enum RedactedConfiguration {
    /// The keys whose values are credentials: every source kind's, and the usual names besides.
    static var credentialKeys: Set<String> {
        Set(SourceRegistry.all.flatMap(\.credentialKeys)).union(["token", "api_key", "client_id", "client_secret", "password"])
    }

    /// `text` with the value of every credential key redacted, line by line (a credential is one scalar).
    static func redact(_ text: String) -> String {
        let keys = credentialKeys
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append(redact(line: String(line), keys: keys))
        }
        return lines.joined(separator: "\n")
    }

    private static func redact(line: String, keys: Set<String>) -> String {
        // `  key: value`, `- key: value`, `"key": value`.
        var rest = Substring(line)
        var prefix = ""
        while let first = rest.first, first == " " || first == "\t" || first == "-" {
            prefix.append(first)
            rest = rest.dropFirst()
        }
        guard let colon = rest.firstIndex(of: ":") else { return line }
        let key = rest[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'")).lowercased()
        guard keys.contains(key) else { return line }
        let value = rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        let unquoted = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        if value.isEmpty || (unquoted.hasPrefix("${") && unquoted.hasSuffix("}") && !unquoted.dropFirst(2).contains("$")) {
            return line
        }
        return prefix + rest[...colon] + " \"[redacted]\""
    }

    /// Every credential the configuration holds (read from the file or the environment), to make
    /// sure none of them reached a file of the pack.
    static func secrets(of configuration: Configuration) -> [String] {
        configuration.sources.flatMap { source in
            [source.token, source.apiKey, source.clientID, source.clientSecret].compactMap { $0?.reveal() }
        }.filter { $0.utf8.count >= 4 }
    }
}
