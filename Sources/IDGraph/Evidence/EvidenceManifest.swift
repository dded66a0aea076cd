import Foundation

/// `manifest.json` of an evidence pack: what the pack is of, who made it with
/// what, whether its population is complete, and the SHA-256 and size of every
/// other file in it.
public struct EvidenceManifest: Sendable, Hashable, Codable {
    /// The format, so a later idgraph can tell what it reads.
    public static let currentFormat = "idgraph-evidence/1"

    /// One file of the pack.
    public struct File: Sendable, Hashable, Codable {
        /// Its path inside the pack, with `/` between folders.
        public var path: String
        /// Its size in bytes.
        public var bytes: Int
        /// The SHA-256 of its bytes, in lower-case hex.
        public var sha256: String
    }

    /// One rule the review ran, as the pack holds it.
    public struct RuleEntry: Sendable, Hashable, Codable {
        /// The rule's id.
        public var rule: String
        /// Its SQL file in `rules/`.
        public var file: String
        /// What became of it in the review: ok, skipped or failed.
        public var status: String
    }

    public var format = Self.currentFormat
    /// The idgraph version that made the pack.
    public var toolVersion: String
    /// When the pack was made (UTC).
    public var createdAt: String
    /// The command lines: the one that made the pack and the one that verifies it.
    public var commands: [String: String]
    /// The review run the pack is of.
    public var reviewRunID: Int64
    /// The last snapshot that review read.
    public var snapshotID: Int64?
    /// The moment the rules judged against.
    public var asOf: String
    /// When the review started and finished (UTC).
    public var reviewStartedAt: String
    public var reviewFinishedAt: String?
    /// The campaign whose decisions are included, if one was named.
    public var campaign: String?
    /// The source run the review read of each source.
    public var sourceRuns: [String: Int64]
    /// The rules the review ran.
    public var rules: [RuleEntry]
    /// The leavers' period, when the pack includes `leavers.csv`.
    public var leaversPeriod: String?
    /// Whether every source's population is complete (collected, not stale, as many as the API reported).
    public var complete: Bool
    /// Why not, one line per source.
    public var incomplete: [String]
    /// Why an incomplete pack was accepted (`--accept-incomplete`), if it was.
    public var acceptedIncomplete: String?
    /// Every other file of the pack, by path.
    public var files: [File]

    enum CodingKeys: String, CodingKey {
        case format
        case toolVersion = "tool_version"
        case createdAt = "created_at"
        case commands
        case reviewRunID = "review_run_id"
        case snapshotID = "snapshot_id"
        case asOf = "as_of"
        case reviewStartedAt = "review_started_at"
        case reviewFinishedAt = "review_finished_at"
        case campaign
        case sourceRuns = "source_runs"
        case rules
        case leaversPeriod = "leavers_period"
        case complete, incomplete
        case acceptedIncomplete = "accepted_incomplete"
        case files
    }

    /// The manifest's own name in the pack.
    public static let fileName = "manifest.json"

    /// The manifest as written: sorted keys, so the same pack always gives the same bytes.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Reads the manifest of the pack in `folder`.
    static func read(from folder: URL) throws -> EvidenceManifest {
        let url = folder.appendingPathComponent(fileName)
        guard let data = try? Data(contentsOf: url) else {
            throw EvidenceError(url.path, "There is no manifest.json here, so this is not an idgraph evidence pack (or it is incomplete). Give the folder 'idgraph evidence --out' wrote.", exitStatus: .usage)
        }
        do {
            let manifest = try JSONDecoder().decode(EvidenceManifest.self, from: data)
            guard manifest.format == currentFormat else {
                throw EvidenceError(url.path, "The pack's format is '\(manifest.format)'; this idgraph reads '\(currentFormat)'. Verify it with the idgraph version named in the manifest.", exitStatus: .usage)
            }
            return manifest
        } catch let error as EvidenceError {
            throw error
        } catch {
            throw EvidenceError(url.path, "manifest.json is not a readable manifest (\(error)). The pack was changed after it was made; ask for a fresh copy.")
        }
    }
}
