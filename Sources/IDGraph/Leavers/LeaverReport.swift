import Foundation
import GRDB

/// Leavers, proven per app (the README): for every person terminated in a
/// period and every source where they had an account, the last collect that
/// showed the account with access, the first that no longer did, and whether
/// that meets the SLA.
///
/// Only the stored history is read: every good source run of every snapshot.
/// A person is a leaver when the latest roster run that lists them shows them
/// terminated with a termination day in the period. Their accounts in a
/// source are those with their canonical email in any good run of the source
/// from the last one before the termination on.
public struct LeaverReport: Sendable {
    /// The first termination day of the period, `YYYY-MM-DD`.
    public var from: String
    /// The last termination day of the period, `YYYY-MM-DD`.
    public var to: String
    /// Days after the termination day by whose end access must be gone.
    public var slaDays: Int
    /// One line per leaver and account, by termination day, person, source and account.
    public var lines: [Line]
    /// The people terminated in the period, with an account or not.
    public var leavers: Int
    /// Those of them with no account in any source.
    public var withoutAccounts: Int

    /// The SLA when none is given: a week, which a weekly collect can prove.
    public static let defaultSLADays = 7

    /// One account of one leaver.
    public struct Line: Sendable, Hashable {
        /// The person's canonical email.
        public var personEmail: String
        /// The person's name, from the roster.
        public var name: String?
        /// The termination day, `YYYY-MM-DD`.
        public var terminationDate: String
        /// The source.
        public var source: String
        /// The source's id for the account.
        public var accountID: String
        /// The last good run of the source in which the account had access.
        public var lastWithAccess: GraphStore.CollectedRun?
        /// The first good run after it in which the account no longer had access.
        public var firstWithoutAccess: GraphStore.CollectedRun?
        /// `between T1 and T2`, `by T2`, or `nil` while not removed.
        public var removedWithin: String?
        /// The last day access may remain, `YYYY-MM-DD` (until its end, UTC).
        public var deadline: String
        /// What the collects prove.
        public var verdict: LeaverVerdict
        /// Why, in words.
        public var note: String
        /// Missed, or still with access once the deadline has passed: the command exits 1.
        public var overdue: Bool
    }

    /// Whether any line is missed, or still has access after its deadline.
    public var overdue: Bool { lines.contains(where: \.overdue) }

    /// The report over `store`'s history; `now` tells a pending deadline from a passed one.
    public static func run(store: GraphStore, from: String, to: String, slaDays: Int = defaultSLADays, now: Date = Date())
        async throws -> LeaverReport
    {
        let people = try await store.terminatedPeople(from: from, to: to)
        let runs = try await store.collectedRuns()
        let runsBySource = Dictionary(grouping: runs, by: \.source)
        let runByID = Dictionary(uniqueKeysWithValues: runs.map { ($0.id, $0) })
        let sightings = try await store.accountSightings(canonicalEmails: people.map(\.email))
        var report = LeaverReport(from: from, to: to, slaDays: slaDays, lines: [], leavers: people.count, withoutAccounts: 0)
        for person in people {
            guard let termination = Timestamp.parse(person.terminationDate) else { continue }
            let deadline = LeaverDeadline(termination: termination, slaDays: slaDays)
            let bySource = Dictionary(grouping: (sightings[person.email] ?? []).filter { runByID[$0.runID] != nil }) {
                runByID[$0.runID]!.source
            }
            var lines: [Line] = []
            for (source, found) in bySource.sorted(by: { $0.key < $1.key }) {
                let sourceRuns = runsBySource[source] ?? []
                // The runs that count: the last one before the termination, and every one after it.
                let first = sourceRuns.lastIndex { (Timestamp.parse($0.collectedAt) ?? .distantPast) < termination } ?? 0
                let counted = Set(sourceRuns[first...].map(\.id))
                for accountID in Set(found.filter { counted.contains($0.runID) }.map(\.accountID)).sorted() {
                    let timeline = AccessTimeline(
                        source: source, runs: sourceRuns,
                        sightings: Dictionary(found.filter { $0.accountID == accountID }.map { ($0.runID, $0) }) { a, _ in a })
                    let judgement = timeline.judge(deadline, now: now)
                    lines.append(Line(
                        personEmail: person.email, name: person.name, terminationDate: person.terminationDate, source: source,
                        accountID: accountID, lastWithAccess: judgement.lastWithAccess,
                        firstWithoutAccess: judgement.firstWithoutAccess, removedWithin: judgement.removedWithin,
                        deadline: deadline.day, verdict: judgement.verdict, note: judgement.note, overdue: judgement.overdue))
                }
            }
            if lines.isEmpty { report.withoutAccounts += 1 }
            report.lines += lines
        }
        return report
    }

    // MARK: - Output

    /// The columns of the report, as `idgraph leavers` prints them and `leavers.csv` holds them.
    public static let columns = [
        "person_email", "name", "termination_date", "source", "account_id", "last_with_access_snapshot",
        "last_with_access_at", "first_without_access_snapshot", "first_without_access_at", "removed_within", "deadline",
        "sla", "note",
    ]

    /// The lines as rows of ``columns``, for `QueryFormat`.
    public var result: QueryResult {
        QueryResult(columns: Self.columns, rows: lines.map(\.values))
    }

    /// One line of counts: leavers, accounts, and each verdict.
    public var summary: String {
        let counts = Dictionary(grouping: lines, by: \.verdict).mapValues(\.count)
        let verdicts = LeaverVerdict.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        let late = lines.filter { $0.overdue && $0.verdict == .stillHasAccess }.count
        return "\(leavers) leaver\(leavers == 1 ? "" : "s") terminated from \(from) to \(to), \(lines.count) account\(lines.count == 1 ? "" : "s") "
            + "(SLA \(slaDays) day\(slaDays == 1 ? "" : "s")): \(verdicts)"
            + (late > 0 ? " (\(late) past the deadline)" : "")
            + (withoutAccounts > 0 ? "; \(withoutAccounts) with no account in any source" : "") + "."
    }
}

extension LeaverReport.Line {
    /// The line's values, in ``LeaverReport/columns`` order.
    var values: [DatabaseValue] {
        [
            personEmail.databaseValue, name.databaseValue, terminationDate.databaseValue, source.databaseValue,
            accountID.databaseValue, lastWithAccess?.snapshotID.databaseValue ?? .null,
            lastWithAccess?.collectedAt.databaseValue ?? .null, firstWithoutAccess?.snapshotID.databaseValue ?? .null,
            firstWithoutAccess?.collectedAt.databaseValue ?? .null, removedWithin.databaseValue, deadline.databaseValue,
            verdict.rawValue.databaseValue, note.databaseValue,
        ]
    }
}
