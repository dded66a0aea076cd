/// A report file that could not be written: which file and why.
public struct ReportError: IDGraphError {
    /// The file's path.
    public var file: String
    /// What went wrong and what to do.
    public var message: String
    /// 1 when writing failed; 2 when the output path can never be written (`--out` through a file).
    public var exitStatus: ExitStatus

    /// Creates a report error.
    public init(file: String, message: String, exitStatus: ExitStatus = .failure) {
        self.file = file
        self.message = message
        self.exitStatus = exitStatus
    }

    public var description: String { "\(file): \(message)" }
}
