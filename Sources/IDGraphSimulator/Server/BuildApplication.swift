import Hummingbird
import Logging

/// Builds the Hummingbird application of one simulated system; tests and the CLI both call it.
///
/// The router holds the shared pipeline (``StatsMiddleware``), the vendor's public routes, and a group at
/// the vendor's base path with ``VendorMiddleware`` in front of the routes the vendor registers.
///
/// - Parameters:
///   - system: which SaaS to imitate.
///   - directory: the encoded company it serves.
///   - options: rate limits, faults, unfriendly variants, token lifetimes.
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
    let api = VendorAPI(
        system: system, directory: directory, encoded: directory.system(system), options: options, state: state)
    let vendor = system.vendor
    let router = Router(context: SimulatorContext.self)
    router.add(middleware: StatsMiddleware(api: api))
    vendor.addPublicRoutes(to: router, api)
    vendor.addRoutes(to: router.group(RouterPath(vendor.basePath)).add(middleware: VendorMiddleware(api: api, basePath: vendor.basePath)), api)
    for basePath in vendor.additionalBasePaths {
        vendor.addRoutes(
            to: router.group(RouterPath(basePath)).add(middleware: VendorMiddleware(api: api, basePath: basePath)),
            at: basePath, api)
    }
    return Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "idgraph-simulator"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger)
}
