/// A report file that could not be written: which file and why.
public struct ReportError: IDGraphError {
    /// The file's path.
    public var file: String
    /// What went wrong and what to do.
    public var message: String

    /// Creates a report error.
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var exitStatus: ExitStatus { .failure }
    public var description: String { "\(file): \(message)" }
}
