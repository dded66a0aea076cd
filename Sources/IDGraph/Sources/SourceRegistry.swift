/// The one list of source kinds idgraph knows, in the order help texts show them.
public enum SourceRegistry {
    /// Every registered kind's descriptor.
    public static let all: [SourceDescriptor] = [
        RosterCollector.descriptor,
        ProcessStreetCollector.descriptor,
        ProofHubCollector.descriptor,
        StreakCollector.descriptor,
        ProcessMakerCollector.descriptor,
        ProcoreCollector.descriptor,
    ]

    private static let byKind: [SourceKind: SourceDescriptor] = Dictionary(
        all.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })

    /// The descriptor of `kind`, or `nil` for a kind idgraph does not know.
    public static func descriptor(of kind: SourceKind) -> SourceDescriptor? { byKind[kind] }

    /// The kinds' names, for messages.
    public static var kindList: String { all.map(\.kind.rawValue).joined(separator: ", ") }
}
