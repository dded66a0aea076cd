/// A configuration that cannot be used: the file, the line, the source, what is
/// wrong and what to do. Always exit status 2; never carries a secret's value.
public struct ConfigurationError: IDGraphError, Equatable {
    /// The config file's path as the user gave it.
    public var file: String
    /// The 1-based line, when known.
    public var line: Int?
    /// The source instance name, when the problem is in one source.
    public var source: String?
    /// What is wrong and what to do, in whole sentences.
    public var message: String

    /// Creates a configuration error.
    public init(file: String, line: Int? = nil, source: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.source = source
        self.message = message
    }

    public var exitStatus: ExitStatus { .usage }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let source { return "\(location): source '\(source)': \(message)" }
        return "\(location): \(message)"
    }
}
