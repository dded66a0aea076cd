import Foundation
import GRDB
import IDGraphResources
import Mustache

/// `access-review.html`: one self-contained page rendered from the Mustache
/// templates in `reports/`, with the CSS and JavaScript inlined.
///
/// Every value from a SaaS API or the roster goes through Mustache's `{{x}}`,
/// which escapes `<`, `>`, `&`, `"` and `'`, and is only ever placed in
/// element text or a double-quoted attribute; the page embeds no data in a
/// script. The JavaScript sorts and filters the rendered rows, so the page is
/// complete without it.
public struct AccessReviewHTML: Sendable {
    /// The folder holding `access-review.mustache`, its partials, CSS and JS.
    public var templatesDirectory: URL

    /// Creates a renderer over the built-in templates, or another folder.
    public init(templatesDirectory: URL = IDGraphResources.reportsDirectory) {
        self.templatesDirectory = templatesDirectory
    }

    /// Above this many accounts the page is written in its compact form: the
    /// summary stays HTML, while findings and access are embedded as JSON
    /// (``AccessReviewData``) and the script renders the rows a page at a time,
    /// because a browser cannot lay out hundreds of thousands of table rows.
    public static let compactThreshold = 5_000

    /// The page for `model`.
    public func render(_ model: ReportModel) throws(ReportError) -> String {
        var html = ""
        try render(model) { html += $0 }
        return html
    }

    /// Writes the page for `model` to `url`, one reviewer section at a time.
    public func write(_ model: ReportModel, to url: URL) throws(ReportError) {
        let output: BufferedFileOutput
        do {
            output = try BufferedFileOutput(url: url)
        } catch {
            throw ReportError(file: url.path, message: "The HTML report cannot be created (\(error)). Check that the --out folder is writable and the disk is not full.")
        }
        try render(model) { output.append($0) }
        output.close()
        if let failure = output.failure {
            throw ReportError(file: url.path, message: "The HTML report cannot be written (\(failure)). Check that the --out folder is writable and the disk is not full.")
        }
    }

    /// Writes the compact page for `model` to `url`: the summary, the
    /// `review-accounts` block from the file `accountsBlock` that `data` was
    /// written with (``AccessReviewData/writeAccounts(from:csv:block:)``),
    /// then the findings, each with its account's row read from `reader`.
    func writeCompact(
        _ model: ReportModel, data: AccessReviewData, accountsBlock: URL, from reader: any DatabaseReader, to url: URL
    ) async throws {
        let library = try templates()
        let page = HTMLPage(
            model, css: try asset("access-review.css", forbidden: "</style"),
            script: try asset("access-review.js", forbidden: "</script"), withReviewers: false, compact: true)
        let templateFile = templatesDirectory.appendingPathComponent("access-review.mustache").path
        guard let rendered = library.render(page, withTemplate: "access-review") else {
            throw ReportError(file: templateFile, message: "The report template is missing. Reinstall idgraph.")
        }
        let html = TerminalText.showingBidiControls(inHTML: rendered)
        guard let marker = html.range(of: Self.dataMarker) else {
            throw ReportError(file: templateFile, message: "The template has no '\(Self.dataMarker)' line where the data of a large report goes. Put it back before the page's <script>.")
        }
        let findings = model.findings
        let stale = Set(model.sources.filter(\.stale).map(\.name))
        let head = String(html[..<marker.upperBound])
        let tail = String(html[marker.upperBound...])
        try await reader.read { db in
            var data = data
            let output: BufferedFileOutput
            do {
                output = try BufferedFileOutput(url: url)
            } catch {
                throw ReportError(file: url.path, message: "The HTML report cannot be created (\(error)). Check that the --out folder is writable and the disk is not full.")
            }
            output.append(head)
            output.append("\n")
            do {
                let block = try FileHandle(forReadingFrom: accountsBlock)
                defer { try? block.close() }
                while let chunk = try block.read(upToCount: 1 << 20), !chunk.isEmpty {
                    chunk.withUnsafeBytes { output.append($0.bindMemory(to: UInt8.self)) }
                }
            } catch {
                throw ReportError(file: accountsBlock.path, message: "The HTML report's account data cannot be read back (\(error)). Check the --out folder and the disk.")
            }
            try data.writeFindings(findings, staleSources: stale, db: db, to: output)
            output.append(tail)
            output.close()
            if let failure = output.failure {
                throw ReportError(file: url.path, message: "The HTML report cannot be written (\(failure)). Check that the --out folder is writable and the disk is not full.")
            }
        }
    }

    /// Where the compact page's data blocks go.
    static let dataMarker = "<!-- idgraph:data -->"

    /// Renders the page in pieces: everything up to the reviewer sections, each
    /// section, then the rest. The sections are rendered by their own template,
    /// so no piece holds more than one reviewer's accounts.
    func render(_ model: ReportModel, into emit: (String) -> Void) throws(ReportError) {
        let library = try templates()
        let page = HTMLPage(
            model, css: try asset("access-review.css", forbidden: "</style"),
            script: try asset("access-review.js", forbidden: "</script"), withReviewers: false)
        let templateFile = templatesDirectory.appendingPathComponent("access-review.mustache").path
        guard let rendered = library.render(page, withTemplate: "access-review"),
            library.getTemplate(named: "access-review-reviewer") != nil
        else {
            throw ReportError(file: templateFile, message: "The report template is missing. Reinstall idgraph.")
        }
        let html = TerminalText.showingBidiControls(inHTML: rendered)
        let views = HTMLPage.reviewerViews(model)
        guard let marker = html.range(of: Self.reviewersMarker) else {
            // The template leaves the marker out only when there is nothing to list.
            guard views.isEmpty else {
                throw ReportError(file: templateFile, message: "The template has no '\(Self.reviewersMarker)' line where the reviewer sections go. Put it back before '{{#reviewers}}'.")
            }
            emit(html)
            return
        }
        emit(String(html[..<marker.upperBound]))
        for view in views {
            emit(TerminalText.showingBidiControls(inHTML: library.render(view(), withTemplate: "access-review-reviewer") ?? ""))
        }
        emit(String(html[marker.upperBound...]))
    }

    /// Where the template wants the reviewer sections. Text from the data can
    /// never contain it, because `<` is always escaped.
    static let reviewersMarker = "<!-- idgraph:reviewers -->"

    /// Every `.mustache` file of the folder, registered under its base name.
    private func templates() throws(ReportError) -> MustacheLibrary {
        var library = MustacheLibrary()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: templatesDirectory.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".mustache") {
            let file = templatesDirectory.appendingPathComponent(name)
            do {
                let text = try String(contentsOf: file, encoding: .utf8)
                try library.register(text, named: String(name.dropLast(".mustache".count)))
            } catch {
                throw ReportError(file: file.path, message: "The template cannot be read or parsed (\(error)). Fix the template or reinstall idgraph.")
            }
        }
        return library
    }

    /// A CSS or JS file to inline, checked so it cannot end its own element early.
    private func asset(_ name: String, forbidden: String) throws(ReportError) -> String {
        let file = templatesDirectory.appendingPathComponent(name)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw ReportError(file: file.path, message: "The report asset is missing. Reinstall idgraph.")
        }
        guard !text.lowercased().contains(forbidden) else {
            throw ReportError(file: file.path, message: "The asset contains '\(forbidden)', which would end its element early. Remove it from the file.")
        }
        return text
    }
}
