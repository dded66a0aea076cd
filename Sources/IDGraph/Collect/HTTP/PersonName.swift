/// Display names from the parts APIs give.
enum PersonName {
    /// "First Last" from whichever parts are present; `nil` when neither is.
    static func join(_ first: String?, _ last: String?) -> String? {
        let parts = [first, last].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
