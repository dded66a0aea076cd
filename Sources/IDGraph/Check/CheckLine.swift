/// One thing `idgraph check` found about a source, in a sentence: fine, worth knowing, or what would
/// fail a collect and what to do about it.
public struct CheckLine: Sendable, Hashable, Encodable {
    /// How a finding bears on a collect.
    public enum Status: String, Sendable, Hashable, Encodable, Comparable {
        /// Works as a collect needs.
        case ok
        /// A collect works, but less well or less completely than it could (the text says why).
        case warning
        /// A collect of the source would fail.
        case failed

        private var rank: Int {
            switch self {
            case .ok: 0
            case .warning: 1
            case .failed: 2
            }
        }

        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rank < rhs.rank }
    }

    /// How it bears on a collect.
    public var status: Status
    /// What was found, and with a warning or failure what to do.
    public var text: String

    /// Creates a line.
    public init(_ status: Status, _ text: String) {
        self.status = status
        self.text = text
    }

    static func ok(_ text: String) -> CheckLine { CheckLine(.ok, text) }
    static func warning(_ text: String) -> CheckLine { CheckLine(.warning, text) }
    static func failed(_ text: String) -> CheckLine { CheckLine(.failed, text) }
}
