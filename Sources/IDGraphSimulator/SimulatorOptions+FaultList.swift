extension SimulatorOptions {
    /// The `--faults` vocabulary, for help texts.
    public static let faultListHelp = """
        Fault switches are a comma-separated list of NAME[@SYSTEM][=VALUE] (or NAME=VALUE@SYSTEM):
          truncated-body[=N]   every Nth request (default 7): a 200, its JSON cut off
          html-503[=N]         every Nth request (default 5): an HTML 503 page
          connection-drop[=N]  every Nth request (default 11) loses its connection
          slow[=MS]            every 3rd request waits MS ms first (default 1500)
          slow-body[=MS]       every 3rd body is sent over MS ms (default 3000)
          token-expiry[=S]     Procore tokens die after S s (default 60), not 7200
          refuse=SYSTEM        SYSTEM's port refuses connections
          no-rate-limits       turn rate limiting off
          clamp-page=N         list pages hold at most N records, whatever is asked
          ignore-paging        list endpoints ignore paging, send everything at once
          repeat-pages         every page request gets the first page again
          overstate-total      reported totals claim one record more than is listed
          pm-user-token        the ProcessMaker token is not an administrator's
          pm-before-4.12       no ProcessMaker GET /users/configuration (before 4.12)
          pm-leaks-tokens      ProcessMaker token lists carry each token's secret
          scim-ids-match       Process Street SCIM user ids equal the v1.1 ids
          header=NAME:VALUE    every response carries NAME: VALUE, e.g. X-Per-Page:0,
                               Total:9223372036854775807, X-RateLimit-Reset:1e30
          retry-after[=VALUE]  every request gets a 429, Retry-After: VALUE (1e300)
          hostile-dates        account dates served as 1e300 and as 31 digits

        @SYSTEM limits a fault to one system: processstreet, proofhub, streak, processmaker, procore.
        """

    /// Options with the faults of a `--faults` list added, e.g. `html-503@procore=3,slow=800,refuse=streak`.
    ///
    /// Throws a `SimulatorError` naming the unknown switch, system or value.
    public func addingFaults(_ list: String) throws -> SimulatorOptions {
        var options = self
        for item in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            // NAME[@SYSTEM][=VALUE], or NAME[=VALUE][@SYSTEM].
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            let head = parts[0].split(separator: "@", maxSplits: 1).map(String.init)
            let name = head[0]
            var value = parts.count > 1 ? parts[1] : nil
            var systemName = head.count > 1 ? head[1] : nil
            if systemName == nil, let tail = value, let at = tail.firstIndex(of: "@"), name != "refuse" {
                systemName = String(tail[tail.index(after: at)...])
                value = String(tail[..<at])
            }
            var systems: Set<SimulatedSystem> = []
            if let systemName { systems = [try Self.system(systemName, in: item)] }
            func number(_ fallback: Int) throws -> Int {
                guard let value else { return fallback }
                guard let n = Int(value), n > 0 else {
                    throw SimulatorError(message: "Fault '\(item)': '\(value)' is not a positive whole number.")
                }
                return n
            }
            switch name {
            case FaultKind.truncatedBody.rawValue:
                options.faults.insert(SimulatedFault(.truncatedBody, systems: systems, trigger: .everyNth(try number(7))))
            case FaultKind.htmlServiceUnavailable.rawValue:
                options.faults.insert(SimulatedFault(.htmlServiceUnavailable, systems: systems, trigger: .everyNth(try number(5))))
            case FaultKind.connectionDrop.rawValue:
                options.faults.insert(SimulatedFault(.connectionDrop, systems: systems, trigger: .everyNth(try number(11))))
            case FaultKind.slowBody.rawValue:
                options.faults.insert(SimulatedFault(.slowBody, systems: systems, trigger: .everyNth(3), delayMilliseconds: try number(3000)))
            case FaultKind.slowResponse.rawValue:
                options.faults.insert(SimulatedFault(.slowResponse, systems: systems, trigger: .everyNth(3), delayMilliseconds: try number(1500)))
            case "token-expiry":
                options.tokenExpirySeconds = Double(try number(60))
            case "refuse":
                guard let value else { throw SimulatorError(message: "Fault 'refuse' needs a system, e.g. refuse=streak.") }
                options.refusingSystems.insert(try Self.system(value, in: item))
            case "no-rate-limits":
                options.rateLimits = false
            case "clamp-page":
                guard value != nil else { throw SimulatorError(message: "Fault 'clamp-page' needs a size, e.g. clamp-page=50.") }
                for system in systems.isEmpty ? Set(SimulatedSystem.allCases) : systems {
                    options.pageSizeLimits[system] = try number(50)
                }
            case "ignore-paging":
                options.pagingIgnored.formUnion(systems.isEmpty ? Set(SimulatedSystem.allCases) : systems)
            case "repeat-pages":
                options.repeatedPages.formUnion(systems.isEmpty ? Set(SimulatedSystem.allCases) : systems)
            case "overstate-total":
                options.overstatedTotals.formUnion(systems.isEmpty ? Set(SimulatedSystem.allCases) : systems)
            case "pm-user-token":
                options.processMakerTokenIsAdmin = false
            case "pm-before-4.12":
                options.processMakerHasUserConfiguration = false
            case "pm-leaks-tokens":
                options.processMakerLeaksTokens = true
            case "scim-ids-match":
                options.scimIDsMatchUsers = true
            case FaultKind.header.rawValue:
                guard let value, let colon = value.firstIndex(of: ":"), colon != value.startIndex else {
                    throw SimulatorError(message: "Fault 'header' needs a header, e.g. header=X-Per-Page:0.")
                }
                let header = SimulatedHeader(
                    String(value[..<colon]), String(value[value.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
                options.faults.insert(SimulatedFault(.header, systems: systems, header: header))
            case FaultKind.retryAfter.rawValue:
                options.faults.insert(
                    SimulatedFault(.retryAfter, systems: systems, header: SimulatedHeader("Retry-After", value ?? "1e300")))
            case "hostile-dates":
                options.hostileDates.formUnion(systems.isEmpty ? Set(SimulatedSystem.allCases) : systems)
            default:
                throw SimulatorError(message: "Unknown fault '\(name)' in '\(item)'. Known: truncated-body, html-503, connection-drop, slow, slow-body, token-expiry, refuse, no-rate-limits, clamp-page, ignore-paging, repeat-pages, overstate-total, pm-user-token, pm-before-4.12, pm-leaks-tokens, scim-ids-match, header, retry-after, hostile-dates.")
            }
        }
        return options
    }

    private static func system(_ name: String, in item: String) throws -> SimulatedSystem {
        guard let system = SimulatedSystem(rawValue: name.lowercased()) else {
            throw SimulatorError(message: "Fault '\(item)': unknown system '\(name)'. Use processstreet, proofhub, streak, processmaker or procore.")
        }
        return system
    }
}
