/// A credential read from the configuration: a token, API key or client secret.
///
/// It prints as `[redacted]` in every description, interpolation, dump and
/// mirror, so it cannot reach a log line, an error message or a report by
/// accident. Only ``reveal()`` hands out the value, for the one place that
/// puts it on the wire.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let value: String

    /// Wraps a credential.
    public init(_ value: String) {
        self.value = value
    }

    /// The credential itself, for an `Authorization` header or a token request.
    public func reveal() -> String { value }

    /// Whether the credential is empty (a variable that was set to nothing).
    public var isEmpty: Bool { value.isEmpty }

    public var description: String { "[redacted]" }
    public var debugDescription: String { "[redacted]" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
