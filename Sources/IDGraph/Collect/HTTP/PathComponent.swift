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
