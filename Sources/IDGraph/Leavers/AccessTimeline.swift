import Foundation

/// Whether a leaver's account was removed in time, as far as the collects can tell.
public enum LeaverVerdict: String, Sendable, CaseIterable {
    /// The first collect without access came by the deadline.
    case met
    /// A collect after the deadline still showed access, and a later one none.
    case missed
    /// The collects cannot tell: access before the deadline and none after it, or no collect since the termination.
    case unknown
    /// The latest collect still shows access.
    case stillHasAccess = "still-has-access"
}

/// One account of a leaver in one source across the source's good runs: the
/// last run in which it had access (listed, and not `inactive`), the first
/// after it in which it no longer did (not listed, or `inactive`), and what
/// that proves against the deadline.
///
/// A deactivated account that is still a member of groups or projects counts
/// as without access (its user cannot sign in); the note says what it still holds.
struct AccessTimeline {
    /// The source's name.
    var source: String
    /// The source's good runs, in the order collected.
    var runs: [GraphStore.CollectedRun]
    /// How each run listed the account, by run id; a run that did not list it is absent.
    var sightings: [Int64: GraphStore.AccountSighting]

    /// What the runs prove.
    struct Judgement: Sendable, Hashable {
        var lastWithAccess: GraphStore.CollectedRun?
        var firstWithoutAccess: GraphStore.CollectedRun?
        var removedWithin: String?
        var verdict: LeaverVerdict
        var note: String
        /// Missed, or still with access once the deadline has passed.
        var overdue: Bool
    }

    private func hasAccess(_ run: GraphStore.CollectedRun) -> Bool {
        guard let sighting = sightings[run.id] else { return false }
        return sighting.status != AccountStatus.inactive.rawValue
    }

    private static func at(_ run: GraphStore.CollectedRun) -> Date {
        Timestamp.parse(run.collectedAt) ?? .distantPast
    }

    /// Judges the account against `deadline`; `now` tells a pending deadline from a passed one.
    func judge(_ deadline: LeaverDeadline, now: Date) -> Judgement {
        guard let last = runs.lastIndex(where: hasAccess) else { return neverWithAccess(deadline) }
        let withAccess = runs[last]
        let t1 = Self.at(withAccess)
        guard last + 1 < runs.count else {
            var judgement = Judgement(lastWithAccess: withAccess, verdict: .stillHasAccess, note: "", overdue: false)
            if t1 < deadline.termination {
                judgement.verdict = .unknown
                judgement.note = "no collect of \(source) since the termination; the last, at \(withAccess.collectedAt), showed access"
            } else if t1 >= deadline.end {
                judgement.overdue = true
                judgement.note = "missed: the latest collect, \(LeaverDeadline.days(t1.timeIntervalSince(deadline.end))) after the deadline, still shows access"
            } else if now >= deadline.end {
                judgement.overdue = true
                judgement.note = "past the deadline: the latest collect, before it, shows access; remove it, or collect \(source) to show it gone"
            } else {
                judgement.note = "pending: the deadline is \(deadline.day)"
            }
            return judgement
        }
        let withoutAccess = runs[last + 1]
        let t2 = Self.at(withoutAccess)
        var judgement = Judgement(
            lastWithAccess: withAccess, firstWithoutAccess: withoutAccess,
            removedWithin: "between \(withAccess.collectedAt) and \(withoutAccess.collectedAt)", verdict: .unknown,
            note: removal(withoutAccess), overdue: false)
        if t2 <= deadline.end {
            judgement.verdict = .met
            if t2 < deadline.termination { judgement.note += ", before the termination" }
        } else if t1 >= deadline.end {
            judgement.verdict = .missed
            judgement.overdue = true
            judgement.note += "; still had access \(LeaverDeadline.days(t1.timeIntervalSince(deadline.end))) after the deadline"
        } else {
            judgement.note = "access at \(withAccess.collectedAt) and none at \(withoutAccess.collectedAt), "
                + "\(LeaverDeadline.days(t2.timeIntervalSince(t1))) apart on either side of the deadline: "
                + "collect \(source) at least \(deadline.cadenceDays == 1 ? "daily" : "every \(deadline.cadenceDays) days") to tell"
        }
        return judgement
    }

    /// An account no run shows with access: listed only as deactivated.
    private func neverWithAccess(_ deadline: LeaverDeadline) -> Judgement {
        guard let first = runs.first(where: { sightings[$0.id] != nil }) else {
            return Judgement(verdict: .unknown, note: "not listed by any collect of \(source)", overdue: false)
        }
        if Self.at(first) <= deadline.end {
            return Judgement(
                firstWithoutAccess: first, removedWithin: "by \(first.collectedAt)", verdict: .met,
                note: "listed only as deactivated" + membershipsLeft(first), overdue: false)
        }
        return Judgement(
            firstWithoutAccess: first, verdict: .unknown,
            note: "already deactivated when first collected, after the deadline: no earlier collect of \(source) tells when",
            overdue: false)
    }

    /// What the first run without access shows: gone, or deactivated (and what it still holds).
    private func removal(_ run: GraphStore.CollectedRun) -> String {
        guard sightings[run.id] != nil else { return "gone from \(source)" }
        return "deactivated" + membershipsLeft(run)
    }

    private func membershipsLeft(_ run: GraphStore.CollectedRun) -> String {
        guard let count = sightings[run.id]?.memberships, count > 0 else { return "" }
        return ", still a member of \(count) group\(count == 1 ? "" : "s") or project\(count == 1 ? "" : "s")"
    }
}
