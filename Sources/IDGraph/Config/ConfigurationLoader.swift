import Foundation
import Yams

/// Reads and validates a YAML configuration file (the README, "Configuration").
///
/// Works on Yams' node tree rather than `Decodable`, so every message can name
/// the line of the offending key. `${NAME}` is replaced from `environment` in
/// every scalar value; a missing variable names the variable and the source.
public struct ConfigurationLoader: Sendable {
    /// The variables `${NAME}` is resolved from.
    public var environment: [String: String]
    /// Whether credentials must resolve. `review` reads only thresholds and
    /// approved admins, so a reviewer needs no tokens: it passes `false`, and an
    /// unset credential variable then leaves that credential empty.
    public var requireCredentials: Bool

    /// Creates a loader over the given environment (the process's by default).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, requireCredentials: Bool = true) {
        self.environment = environment
        self.requireCredentials = requireCredentials
    }

    /// Loads and validates the configuration at `path`.
    public func load(path: String) throws(ConfigurationError) -> Configuration {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ConfigurationError(
                file: path,
                message: "The configuration file does not exist. Check the path given to --config.")
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ConfigurationError(
                file: path, message: "The configuration file cannot be read as UTF-8 text (\(error.localizedDescription)).")
        }
        return try parse(text, file: path)
    }

    /// Validates configuration `text` as if read from `file`.
    public func parse(_ text: String, file: String) throws(ConfigurationError) -> Configuration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError(file: file, message: "The file is not valid YAML: \(error)")
        } catch {
            throw ConfigurationError(file: file, message: "The file is not valid YAML: \(error)")
        }
        guard let root, let mapping = root.mapping else {
            throw ConfigurationError(
                file: file, line: root?.mark?.line,
                message: "The configuration must be a mapping with at least a 'sources:' list.")
        }
        var reader = NodeReader(file: file, environment: environment, requireCredentials: requireCredentials, source: nil)
        return try reader.configuration(mapping, fileURL: URL(fileURLWithPath: file))
    }
}
