import Foundation

/// Helpers for building endpoint paths and names from API records.
enum PathComponent {
    /// `text` with every character but RFC 3986's unreserved ones (letters, digits, `-._~`)
    /// percent-encoded: one URL path segment (an id from an API), a query parameter's name or
    /// value, or a form field of the OAuth token request.
    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
