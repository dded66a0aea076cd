// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "idgraph",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "idgraph", targets: ["idgraph"]),
        .library(name: "IDGraph", targets: ["IDGraph"]),
        .library(name: "IDGraphSimulator", targets: ["IDGraphSimulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // The transport's errors, classified by value: NIO's socket and resolver errors, NIOSSL's TLS errors.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The SQL rules, saved queries and report templates, shipped with the binary.
        .target(
            name: "IDGraphResources",
            path: ".",
            exclude: ["Package.swift", "README.md", "docs", "Tests", ".ci", "Sources/IDGraph", "Sources/IDGraphSimulator", "Sources/idgraph", "Sources/idgraph-benchmarks", "Sources/IDGraphBrowser"],
            sources: ["Sources/IDGraphResources"],
            resources: [.copy("queries"), .copy("reports")]
        ),
        .target(
            name: "IDGraph",
            dependencies: [
                "IDGraphResources",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Headless chromium on a local page, for the report's browser tests and the review benchmark.
        .target(name: "IDGraphBrowser"),
        .target(
            name: "IDGraphSimulator",
            dependencies: [
                "IDGraph",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "idgraph",
            dependencies: [
                "IDGraph",
                "IDGraphSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmarks that print numbers next to their references (README, Performance).
        .executableTarget(
            name: "idgraph-benchmarks",
            dependencies: [
                "IDGraph",
                "IDGraphBrowser",
                "IDGraphSimulator",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "IDGraphTests",
            dependencies: [
                "IDGraph",
                "IDGraphBrowser",
                "IDGraphSimulator",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "CSV", package: "CSV.swift"),
                // The request journal's digests, checked against an independent SHA-256 of the bodies served.
                .product(name: "Crypto", package: "swift-crypto"),
                // The transport's classification, fed the errors NIO and NIOSSL throw.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            // The vendors' sample bodies, read from the source tree by the contract tests.
            exclude: ["VendorSamples"]
        ),
        .testTarget(
            name: "IDGraphSimulatorTests",
            dependencies: [
                "IDGraphSimulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The command line as a user runs it, against the simulated vendors on loopback.
        .testTarget(
            name: "idgraphTests",
            dependencies: [
                "idgraph",
                "IDGraph",
                "IDGraphSimulator",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
