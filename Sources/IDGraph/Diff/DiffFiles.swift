import Foundation
import IDGraphResources
import Mustache

extension GraphDiff {
    /// The columns of `diff.csv` (and the keys of each change in `diff.json`).
    public static let columns = [
        "change", "source", "account_id", "email", "person_email", "container", "before", "after", "decision", "reason",
        "decided_by",
    ]

    /// Writes the diff into `folder`: `diff.csv` (or `diff.json`) and the self-contained
    /// `diff.html`, header and page included when there are no changes; returns the files.
    public func write(to folder: URL, json: Bool = false, templatesDirectory: URL = IDGraphResources.reportsDirectory)
        throws -> [URL]
    {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportError(file: folder.path, message: "The diff folder cannot be created (\(error.localizedDescription)). Choose another --out folder.")
        }
        var files: [URL] = []
        if json {
            let url = folder.appendingPathComponent("diff.json")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            do {
                try encoder.encode(DiffDocument(diff: self)).write(to: url)
            } catch {
                throw ReportError(file: url.path, message: "The diff cannot be written (\(error.localizedDescription)). Check the --out folder and the disk.")
            }
            files.append(url)
        } else {
            let url = folder.appendingPathComponent("diff.csv")
            let csv = try CSVFile(url: url, header: Self.columns)
            for change in changes { try csv.write(change.cells) }
            try csv.close()
            files.append(url)
        }
        let html = folder.appendingPathComponent("diff.html")
        do {
            try Data(try renderHTML(templatesDirectory: templatesDirectory).utf8).write(to: html)
        } catch let error as ReportError {
            throw error
        } catch {
            throw ReportError(file: html.path, message: "The page cannot be written (\(error.localizedDescription)). Check that the --out folder is writable and the disk is not full.")
        }
        files.append(html)
        return files
    }

    /// `diff.html`: the summary, the notes and every change, each value escaped as text.
    public func renderHTML(templatesDirectory: URL = IDGraphResources.reportsDirectory) throws -> String {
        let template = templatesDirectory.appendingPathComponent("diff.mustache")
        var library = MustacheLibrary()
        do {
            try library.register(String(contentsOf: template, encoding: .utf8), named: "diff")
        } catch {
            throw ReportError(file: template.path, message: "The diff template cannot be read (\(error)). Reinstall idgraph.")
        }
        let page = Page(
            from: from.description, to: toLabel, headline: headline, isEmpty: changes.isEmpty,
            counts: counts.map { Count(kind: $0.kind.rawValue, count: $0.count) }, notes: notes, hasNotes: !notes.isEmpty,
            fromCampaign: fromCampaign, rows: changes.map(RowView.init))
        guard let rendered = library.render(page, withTemplate: "diff") else {
            throw ReportError(file: template.path, message: "The diff template did not render. Reinstall idgraph.")
        }
        return TerminalText.showingBidiControls(inHTML: rendered)
    }

    /// The page as the template reads it: non-optional values only, so a missing one never
    /// shows an enclosing value.
    struct Page {
        var from: String
        var to: String
        var headline: String
        var isEmpty: Bool
        var counts: [Count]
        var notes: [String]
        var hasNotes: Bool
        var fromCampaign: Bool
        var rows: [RowView]
    }

    struct Count {
        var kind: String
        var count: Int
    }

    struct RowView: MustacheParent {
        var change: DiffChange

        // Looked up by name rather than through `Mirror`, which costs a reflection per name.
        func child(named key: String) -> Any? {
            switch key {
            case "kind": change.kind.rawValue
            case "source": change.source
            case "accountID": change.accountID
            case "email": change.email ?? ""
            case "personEmail": change.personEmail ?? ""
            case "showPerson": change.personEmail != nil && change.personEmail != change.email
            case "container": change.container ?? ""
            case "before": change.before
            case "after": change.after
            case "decision": change.decision ?? ""
            case "reason": change.reason ?? ""
            case "decidedBy": change.decidedBy ?? ""
            default: nil
            }
        }
    }

    /// `diff.json`: the sides, the notes and the changes, each with ``columns`` as keys (null when empty).
    struct DiffDocument: Encodable {
        var diff: GraphDiff

        enum Key: String, CodingKey {
            case from, to, headline, notes, changes
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(diff.from.description, forKey: .from)
            try container.encode(diff.toLabel, forKey: .to)
            try container.encode(diff.headline, forKey: .headline)
            try container.encode(diff.notes, forKey: .notes)
            try container.encode(diff.changes.map(ChangeRecord.init), forKey: .changes)
        }
    }

    struct ChangeRecord: Encodable {
        var change: DiffChange

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (column, value) in zip(GraphDiff.columns, change.cells) {
                try container.encode(value.flatMap { $0.isEmpty ? nil : $0 }, forKey: Key(stringValue: column))
            }
        }
    }
}

extension DiffChange {
    /// The row's cells in the order of ``GraphDiff/columns``.
    var cells: [String?] {
        [kind.rawValue, source, accountID, email, personEmail, container, before, after, decision, reason, decidedBy]
    }
}
