/// A system idgraph collects from: the `kind` of a source in the configuration.
///
/// Each kind is declared once, with its ``SourceDescriptor``, in the file of
/// its collector; ``SourceRegistry`` lists them. Nothing else switches over kinds.
public struct SourceKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The `kind` value in the configuration (`processstreet`, `roster`, …).
    public var rawValue: String

    /// The kind with this configuration name (any kind, registered or not).
    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    /// The registered descriptor of this kind, if it is one idgraph knows.
    public var descriptor: SourceDescriptor? { SourceRegistry.descriptor(of: self) }

    /// The product name, for reports.
    public var displayName: String { descriptor?.displayName ?? rawValue }

    /// Whether this kind is the HR roster.
    public var isRoster: Bool { descriptor?.isRoster == true }
}
