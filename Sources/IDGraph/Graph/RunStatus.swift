/// How a run of `collect` ended (`snapshots.status`).
public enum SnapshotStatus: String, Sendable, Hashable, CaseIterable {
    /// Still collecting, or killed before it finished (the next collect closes it).
    case running
    /// Every source was stored.
    case ok
    /// Some sources were stored; the others failed and keep their last good data.
    case partial
    /// No source was stored.
    case failed

    /// The status of a run whose `failed` of `sources` sources failed.
    public init(failed: Int, of sources: Int) {
        self = failed == 0 ? .ok : (failed == sources ? .failed : .partial)
    }
}

/// How one source's collection ended (`source_runs.status`).
public enum SourceRunStatus: String, Sendable, Hashable, CaseIterable {
    /// Collecting; its rows are not visible yet.
    case running
    /// Its rows are the source's current data.
    case ok
    /// Its rows were dropped; the source keeps its previous data, marked stale.
    case failed
}
