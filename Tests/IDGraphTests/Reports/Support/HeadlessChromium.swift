import Foundation
import Testing

/// Debian's chromium, run headless on a local file: the DOM after scripts ran,
/// or a screenshot. Tests that need it fail (not skip) when it is missing.
struct HeadlessChromium {
    let executable: String

    /// The installed browser, or a recorded failure telling how to install it.
    static func find() -> HeadlessChromium? {
        let candidates = [ProcessInfo.processInfo.environment["CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"]
        for case let path? in candidates where FileManager.default.isExecutableFile(atPath: path) {
            return HeadlessChromium(executable: path)
        }
        Issue.record("chromium is not installed: the report's browser tests need it. Install it with 'apt-get install -y chromium'.")
        return nil
    }

    /// The serialized DOM of `file` after its scripts ran, in a window `width` pixels wide.
    func dumpDOM(_ file: URL, width: Int = 1400) throws -> String {
        String(
            decoding: try run(["--dump-dom", "--window-size=\(width),1000", "--virtual-time-budget=5000", file.absoluteString]),
            as: UTF8.self)
    }

    /// Saves a screenshot of `file` to `png`.
    func screenshot(_ file: URL, to png: URL, width: Int = 1400, height: Int = 1800) throws {
        _ = try run([
            "--screenshot=\(png.path)", "--window-size=\(width),\(height)", "--hide-scrollbars",
            "--virtual-time-budget=5000", file.absoluteString,
        ])
    }

    private func run(_ arguments: [String]) throws -> Data {
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
        DispatchQueue.global().asyncAfter(deadline: .now() + 90, execute: watchdog)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return data
    }
}
