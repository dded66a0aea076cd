/// How urgent a finding is, from `low` to `critical`.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case low, medium, high, critical

    /// The rank used for sorting: higher is more urgent.
    public var rank: Int {
        switch self {
        case .low: 1
        case .medium: 2
        case .high: 3
        case .critical: 4
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
