import Foundation

/// How a user at this terminal runs idgraph: `idgraph` when an executable of that name is on the
/// PATH, else `swift run idgraph` (from the package folder), so the commands printed as hints can be
/// pasted as they are.
enum Invocation {
    /// The command prefix for hints.
    static var command: String {
        isOnPath("idgraph") ? "idgraph" : "swift run idgraph"
    }

    /// `text` as one shell word: as it is when it holds only characters no shell reads specially,
    /// else in single quotes.
    static func quoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII || "/._-+=:,@%".unicodeScalars.contains($0)
        }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// Whether an executable file `name` is in one of the PATH's folders.
    static func isOnPath(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> Bool {
        (path ?? "").split(separator: ":").contains { folder in
            FileManager.default.isExecutableFile(atPath: URL(fileURLWithPath: String(folder)).appendingPathComponent(name).path)
        }
    }
}
