import IDGraphBrowser
import Testing

extension HeadlessChromium {
    /// The installed browser, or a recorded failure telling how to install it: tests that need it
    /// fail (not skip) when it is missing.
    static func find() -> HeadlessChromium? {
        if let chromium = installed() { return chromium }
        Issue.record("chromium is not installed: the report's browser tests need it. Install it with 'apt-get install -y chromium'.")
        return nil
    }
}
