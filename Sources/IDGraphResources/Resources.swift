import Foundation

/// The bundle that carries idgraph's built-in rules, saved queries and report templates.
public enum IDGraphResources {
    /// The resource bundle built from the top-level `queries` and `reports` folders.
    public static var bundle: Bundle { Bundle.module }

    /// The built-in `queries` folder (rules under `queries/rules`).
    public static var queriesDirectory: URL {
        bundle.bundleURL.appendingPathComponent("queries", isDirectory: true)
    }

    /// The built-in `reports` folder (templates, CSS and JS).
    public static var reportsDirectory: URL {
        bundle.bundleURL.appendingPathComponent("reports", isDirectory: true)
    }
}
