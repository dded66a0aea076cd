import Foundation

/// Helpers for building endpoint paths and names from API records.
enum PathComponent {
    /// `text` escaped for use as one URL path segment (an id from an API).
    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Display names from the parts APIs give.
enum PersonName {
    /// "First Last" from whichever parts are present; `nil` when neither is.
    static func join(_ first: String?, _ last: String?) -> String? {
        let parts = [first, last].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
