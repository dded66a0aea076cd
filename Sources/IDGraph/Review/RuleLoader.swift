import Foundation
import IDGraphResources

/// Finds the rule files: the built-in ones, then those of the user's `rules_dir`.
///
/// Every `*.sql` file of a folder is a rule, in file-name order. A file whose
/// header cannot be read, or whose id repeats an earlier rule's, becomes a
/// ``RuleError`` and the others still load.
public struct RuleLoader: Sendable {
    /// The built-in rules folder (`queries/rules` in the resource bundle).
    public var builtInDirectory: URL
    /// The user's own rules folder, from `rules_dir`.
    public var userDirectory: URL?

    /// Creates a loader over the built-in rules and, optionally, a user folder.
    public init(builtInDirectory: URL = RuleLoader.builtInRulesDirectory, userDirectory: URL? = nil) {
        self.builtInDirectory = builtInDirectory
        self.userDirectory = userDirectory
    }

    /// The rules that ship with idgraph.
    public static var builtInRulesDirectory: URL {
        IDGraphResources.queriesDirectory.appendingPathComponent("rules", isDirectory: true)
    }

    /// The rules that loaded, and an error for each file that did not.
    public struct Loaded: Sendable {
        /// The rules, built-in first.
        public var rules: [Rule]
        /// The files that could not be used.
        public var errors: [RuleError]
    }

    /// Loads every rule; throws only when the user's folder itself is unusable.
    public func load() throws(ConfigurationError) -> Loaded {
        var loaded = Loaded(rules: [], errors: [])
        var seen: [String: URL] = [:]
        var folders = [builtInDirectory]
        if let userDirectory {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: userDirectory.path, isDirectory: &isFolder), isFolder.boolValue
            else {
                throw ConfigurationError(
                    file: userDirectory.path,
                    message: "'rules_dir' names no folder. Create it or fix the path (relative to the config file).")
            }
            folders.append(userDirectory)
        }
        for folder in folders {
            for file in Self.ruleFiles(in: folder) {
                do {
                    let text: String
                    do {
                        text = try String(contentsOf: file, encoding: .utf8)
                    } catch {
                        throw RuleError(file: file, message: "The file cannot be read as UTF-8 text.")
                    }
                    let rule = try Rule.parse(text, file: file)
                    if let earlier = seen[rule.id] {
                        throw RuleError(
                            file: file, rule: rule.id,
                            message: "The id '\(rule.id)' is already used by \(earlier.path). Give this rule another id.")
                    }
                    seen[rule.id] = file
                    loaded.rules.append(rule)
                } catch let error as RuleError {
                    loaded.errors.append(error)
                } catch {
                    loaded.errors.append(RuleError(file: file, message: "\(error)"))
                }
            }
        }
        return loaded
    }

    /// The `.sql` files directly in `folder`, sorted by name.
    static func ruleFiles(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".sql") && !$0.hasPrefix(".") }.sorted()
            .map { folder.appendingPathComponent($0, isDirectory: false) }
    }
}
