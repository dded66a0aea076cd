/// Why an evidence pack could not be made or read: what, where, and what to do.
public struct EvidenceError: IDGraphError {
    /// The file or folder concerned.
    public var path: String
    /// What went wrong and what to do.
    public var message: String
    public var exitStatus: ExitStatus

    init(_ path: String, _ message: String, exitStatus: ExitStatus = .failure) {
        self.path = path
        self.message = message
        self.exitStatus = exitStatus
    }

    public var description: String { "\(path): \(message)" }
}
