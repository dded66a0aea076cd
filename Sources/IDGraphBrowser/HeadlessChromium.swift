import Foundation

/// Debian's chromium, run headless on a local file: the DOM after its scripts ran, or a
/// screenshot. The report's browser tests and the review benchmark drive the page through it.
public struct HeadlessChromium: Sendable {
    /// The browser's executable.
    public let executable: String

    /// A browser at `executable`.
    public init(executable: String) {
        self.executable = executable
    }

    /// The browser named by `CHROMIUM`, or Debian's; nil when none is installed.
    public static func installed() -> HeadlessChromium? {
        let candidates = [ProcessInfo.processInfo.environment["CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"]
        for case let path? in candidates where FileManager.default.isExecutableFile(atPath: path) {
            return HeadlessChromium(executable: path)
        }
        return nil
    }

    /// The serialized DOM of `file` after its scripts ran for `virtualTime` of the page's clock, in a
    /// window `width` pixels wide (chromium's default when nil); the browser is stopped after
    /// `timeout` when one is given.
    public func serializedDOM(
        _ file: URL, width: Int? = 1400, virtualTime: Duration = .seconds(5), timeout: Duration? = .seconds(90)
    ) throws -> Data {
        try run(
            ["--dump-dom"] + (width.map { ["--window-size=\($0),1000"] } ?? [])
                + ["--virtual-time-budget=\(virtualTime.components.seconds * 1000)", file.absoluteString],
            timeout: timeout)
    }

    /// The serialized DOM of `file` as text, after its scripts ran, in a window `width` pixels wide.
    public func dumpDOM(_ file: URL, width: Int = 1400) throws -> String {
        String(decoding: try serializedDOM(file, width: width), as: UTF8.self)
    }

    /// Saves a screenshot of `file` to `png`.
    public func screenshot(_ file: URL, to png: URL, width: Int = 1400, height: Int = 1800) throws {
        _ = try run(
            [
                "--screenshot=\(png.path)", "--window-size=\(width),\(height)", "--hide-scrollbars",
                "--virtual-time-budget=5000", file.absoluteString,
            ], timeout: .seconds(90))
    }

    private func run(_ arguments: [String], timeout: Duration?) throws -> Data {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("idgraph-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--user-data-dir=\(profile.path)",
        ] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        if let timeout {
            DispatchQueue.global().asyncAfter(
                deadline: .now() + .seconds(Int(timeout.components.seconds)), execute: watchdog)
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return data
    }
}
