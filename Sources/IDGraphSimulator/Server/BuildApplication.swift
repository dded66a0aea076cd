import Hummingbird
import Logging

/// Builds the Hummingbird application of one simulated system; tests and the CLI both call it.
///
/// - Parameters:
///   - system: which SaaS to imitate.
///   - directory: the encoded company it serves.
///   - options: rate limits, faults, token lifetimes.
///   - state: where its counters live (read them with `state.snapshot()`, or `GET /__stats`).
///   - host: bind address, loopback by default.
///   - port: 0 (the default) binds an ephemeral port, reported to `onServerRunning`.
///   - onServerRunning: called with the bound port once the server listens.
public func buildApplication(
    system: SimulatedSystem, directory: SimulatorDirectory, options: SimulatorOptions = SimulatorOptions(),
    state: SystemState = SystemState(), host: String = "127.0.0.1", port: Int = 0,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    var logger = Logger(label: "idgraph.simulator.\(system.rawValue)")
    logger.logLevel = .warning
    return Application(
        responder: SimulatedAPI(system: system, directory: directory, options: options, state: state),
        configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "idgraph-simulator"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger)
}
