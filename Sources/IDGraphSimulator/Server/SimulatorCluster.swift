import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The five simulated systems (or a chosen few) running on 127.0.0.1 ephemeral ports in the background.
public actor SimulatorCluster {
    /// The company served.
    public nonisolated let company: Company
    /// The options the servers run with.
    public nonisolated let options: SimulatorOptions
    private nonisolated let urls: [SimulatedSystem: String]
    private nonisolated let states: [SimulatedSystem: SystemState]
    private var tasks: [Task<Void, any Error>]
    private let groups: [ServiceGroup]
    /// Ports held bound but never listening, for refusing systems.
    private var refusedPorts: [RefusedPort]

    private init(
        company: Company, options: SimulatorOptions, urls: [SimulatedSystem: String], states: [SimulatedSystem: SystemState],
        tasks: [Task<Void, any Error>], groups: [ServiceGroup], refusedPorts: [RefusedPort]
    ) {
        self.groups = groups
        self.refusedPorts = refusedPorts
        self.company = company
        self.options = options
        self.urls = urls
        self.states = states
        self.tasks = tasks
    }

    /// Encodes `company` and starts one server per system; returns once every server listens.
    ///
    /// A system in `options.refusingSystems` gets no server: its base URL points at a loopback port nobody listens on.
    public static func start(
        company: Company, options: SimulatorOptions = SimulatorOptions(),
        systems: Set<SimulatedSystem> = Set(SimulatedSystem.allCases)
    ) async throws -> SimulatorCluster {
        let served = systems.subtracting(options.refusingSystems)
        let directory = SimulatorDirectory(company: company, systems: served, hostileDates: options.hostileDates)
        var urls: [SimulatedSystem: String] = [:]
        var states: [SimulatedSystem: SystemState] = [:]
        var tasks: [Task<Void, any Error>] = []
        var groups: [ServiceGroup] = []
        var refusedPorts: [RefusedPort] = []
        var logger = Logger(label: "idgraph.simulator")
        logger.logLevel = .warning
        for system in SimulatedSystem.allCases where systems.contains(system) {
            let state = SystemState()
            states[system] = state
            if options.refusingSystems.contains(system) {
                let refused = try RefusedPort()
                refusedPorts.append(refused)
                urls[system] = "http://127.0.0.1:\(refused.port)\(system.basePath)"
                continue
            }
            let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
            let app = buildApplication(system: system, directory: directory, options: options, state: state) { port in
                continuation.yield(port)
            }
            // Each server runs in its own ServiceGroup so `stop()` can shut it down gracefully (no cancellation noise).
            let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
            groups.append(group)
            tasks.append(Task {
                defer { continuation.finish() }
                try await group.run()
            })
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                for group in groups { await group.triggerGracefulShutdown() }
                for port in refusedPorts { port.close() }
                throw SimulatorError(message: "The simulated \(system.displayName) server stopped before it listened on 127.0.0.1.")
            }
            urls[system] = "http://127.0.0.1:\(port)\(system.basePath)"
        }
        return SimulatorCluster(
            company: company, options: options, urls: urls, states: states, tasks: tasks, groups: groups,
            refusedPorts: refusedPorts)
    }

    /// The base URL of a system including the vendor's path prefix, e.g. `http://127.0.0.1:54321/api/v1`.
    ///
    /// A system that was not started gets the discard port 9, where nothing listens.
    public nonisolated func baseURL(_ system: SimulatedSystem) -> String {
        urls[system] ?? "http://127.0.0.1:9\(system.basePath)"
    }

    /// All base URLs of the started systems.
    public nonisolated var baseURLs: [SimulatedSystem: String] { urls }

    /// Procore's OAuth token URL (same server, `/oauth/token`).
    public nonisolated var procoreTokenURL: String { Company.procoreTokenURL(baseURL: baseURL(.procore)) }

    /// The counters of a system, the same numbers as its `GET /__stats`.
    public nonisolated func stats(_ system: SimulatedSystem) -> SimulatorStats {
        states[system]?.snapshot() ?? SimulatorStats()
    }

    /// The config for the running cluster (see `Company.configYAML`).
    public nonisolated func configYAML(rosterPath: String = "roster.csv", databasePath: String = "idgraph.sqlite") -> String {
        company.configYAML(baseURLs: urls, rosterPath: rosterPath, databasePath: databasePath)
    }

    /// Stops every server and waits for them to finish.
    public func stop() async {
        for group in groups { await group.triggerGracefulShutdown() }
        for task in tasks { _ = try? await task.value }
        tasks = []
        for port in refusedPorts { port.close() }
        refusedPorts = []
    }
}

/// A simulator failure that explains itself.
public struct SimulatorError: Error, CustomStringConvertible {
    /// What went wrong and what to do.
    public var message: String
    /// The message.
    public var description: String { message }
}

/// A loopback TCP port that refuses connections: bound, so no other server can
/// take it, but never listening, so a connect gets ECONNREFUSED. Held until closed.
final class RefusedPort: Sendable {
    let port: Int
    private let fd: Int32

    init() throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw SimulatorError(message: "Could not open a socket to reserve a refused port (errno \(errno)).") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            Self.release(fd)
            throw SimulatorError(message: "Could not bind a loopback socket to reserve a refused port (errno \(errno)).")
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Releases the port.
    func close() {
        Self.release(fd)
    }

    private static func release(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }
}
