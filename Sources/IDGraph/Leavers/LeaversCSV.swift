import Foundation

/// `leavers.csv`: a ``LeaverReport``, one row per leaver and account, with
/// ``LeaverReport/columns`` as its header; for an evidence pack.
public enum LeaversCSV {
    /// Writes `report` to `url` (created, or truncated).
    public static func write(_ report: LeaverReport, to url: URL) throws(ReportError) {
        let file = try CSVFile(url: url, header: LeaverReport.columns)
        for line in report.lines {
            try file.write(line.values.map { value -> String? in
                switch value.storage {
                case .null: nil
                case .int64(let v): String(v)
                case .double(let v): String(v)
                case .string(let v): v
                case .blob(let v): v.base64EncodedString()
                }
            })
        }
        try file.close()
    }
}
