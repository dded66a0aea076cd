import Foundation

/// Turns the email addresses that sources and rosters give into the one form
/// that joins them: trimmed, lower-cased, Unicode NFC, with aliased domains
/// replaced by their target (the README, "Identity resolution").
///
/// Nothing else is normalised: look-alike domains, missing dots, plus-suffixes
/// and accents stay distinct, because joining them would attribute one
/// person's access to another.
public struct EmailCanonicalizer: Sendable, Hashable {
    /// Domain aliases, already canonical: `acme.io` → `acme.com`.
    public let domainAliases: [String: String]

    /// Creates a canonicaliser; alias keys and values are themselves trimmed,
    /// lower-cased and NFC-normalised.
    public init(domainAliases: [String: String] = [:]) {
        var aliases: [String: String] = [:]
        for (from, to) in domainAliases {
            aliases[Self.normalise(from)] = Self.normalise(to)
        }
        self.domainAliases = aliases
    }

    /// The canonical form of `email`, or `nil` when nothing usable is left.
    public func canonicalEmail(_ email: String?) -> String? {
        guard let email else { return nil }
        let normalised = Self.normalise(email)
        guard !normalised.isEmpty else { return nil }
        guard let at = normalised.lastIndex(of: "@") else { return normalised }
        let domain = String(normalised[normalised.index(after: at)...])
        guard let target = domainAliases[domain] else { return normalised }
        return normalised[..<at] + "@" + target
    }

    /// Trim whitespace (including tabs and newlines), lower-case, NFC.
    static func normalise(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
            .precomposedStringWithCanonicalMapping
            .lowercased()
            .precomposedStringWithCanonicalMapping
    }
}
