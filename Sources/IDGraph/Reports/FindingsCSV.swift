import Foundation
import GRDB

/// `findings.csv`: one row per finding of a review run, the README's header in order.
public enum FindingsCSV {
    /// The header row.
    public static let header = GraphStore.findingColumns

    /// Writes `findings` to `url` in their order, one row each, columns in ``header`` order.
    ///
    /// A review writes the file from the findings its rules just found, while they are being
    /// stored; they are the rows it stores.
    static func write(_ findings: [Finding], to url: URL) throws(ReportError) {
        let file = try CSVFile(url: url, header: header)
        for finding in findings {
            file.beginRow()
            file.cell(finding.rule)
            file.cell(finding.severity.rawValue)
            file.cell(finding.source)
            file.cell(finding.accountID)
            file.cell(finding.email)
            file.cell(finding.name)
            file.cell(finding.detail)
            try file.endRow()
        }
        try file.close()
    }

    /// Writes the stored findings of review run `reviewRunID` to `url`.
    public static func write(_ reviewRunID: Int64, from reader: any DatabaseReader, to url: URL) async throws {
        let findings = try await reader.read { db in try GraphStore.findings(db, reviewRunID: reviewRunID) }
        try write(findings, to: url)
    }
}
