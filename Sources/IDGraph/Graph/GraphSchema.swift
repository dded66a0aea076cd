import GRDB

/// The graph's migrations. Each is named and frozen once shipped: a change to
/// the schema is a new migration, written in SQL, never an edit of an old one.
public enum GraphSchema {
    /// The migrator that brings any idgraph database up to date.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-graph") { db in
            try db.execute(sql: v1Tables)
            try db.execute(sql: v1Views)
        }
        migrator.registerMigration("v2-review-indexes") { db in
            try db.execute(sql: v2ReviewIndexes)
        }
        migrator.registerMigration("v3-account-type-and-coverage") { db in
            try db.execute(sql: v3AccountTypeAndCoverage)
        }
        migrator.registerMigration("v4-duplicate-records") { db in
            try db.execute(sql: v4DuplicateRecords)
        }
        migrator.registerMigration("v5-campaigns") { db in
            try db.execute(sql: v5Campaigns)
        }
        migrator.registerMigration("v6-remediation") { db in
            try db.execute(sql: v6Remediation)
        }
        migrator.registerMigration("v7-credentials") { db in
            try db.execute(sql: v7Credentials)
        }
        migrator.registerMigration("v8-evidence") { db in
            try db.execute(sql: v8Evidence)
        }
        migrator.registerMigration("v9-non-human-index") { db in
            try db.execute(sql: v9NonHumanIndex)
        }
        return migrator
    }

    /// Indexes the review's rules search by: a rule that looks for the
    /// deactivated, invited or admin accounts of the current runs finds them by
    /// status instead of scanning every stored account of every snapshot.
    static let v2ReviewIndexes = """
        CREATE INDEX account_by_status ON account(status, source_run_id);
        """

    /// Every account says who is behind it (`account_type`: human, service or
    /// external), and every source run which facts its API exposes
    /// (`has_admin` beside `has_activity`), so a rule that needs a fact the
    /// source does not expose is shown "not checked" instead of passing.
    /// Views gain the new columns at their end.
    static let v3AccountTypeAndCoverage = """
        ALTER TABLE account ADD COLUMN account_type TEXT NOT NULL DEFAULT 'human'
            CHECK (account_type IN ('human', 'service', 'external'));
        ALTER TABLE source_run ADD COLUMN has_admin INTEGER NOT NULL DEFAULT 1;

        DROP VIEW accounts;
        CREATE VIEW accounts AS
        SELECT c.source, c.kind, a.account_id, a.email, a.canonical_email, a.name, a.role, a.is_admin,
               a.status, a.last_seen, a.created,
               (SELECT p.email FROM people p WHERE p.email = a.canonical_email LIMIT 1) AS person_email,
               c.stale, c.collected_at, a.account_type
        FROM account a JOIN current_source_runs c ON c.source_run_id = a.source_run_id;

        DROP VIEW current_source_runs;
        CREATE VIEW current_source_runs AS
        SELECT r.id AS source_run_id, r.snapshot_id, r.source, r.kind, r.finished_at AS collected_at,
               r.has_activity,
               EXISTS (SELECT 1 FROM source_run l
                       WHERE l.source = r.source AND l.id > r.id AND l.status <> 'ok') AS stale,
               r.has_admin
        FROM source_run r
        WHERE r.status = 'ok'
          AND r.id = (SELECT max(m.id) FROM source_run m WHERE m.source = r.source AND m.status = 'ok');

        DROP VIEW source_runs;
        CREATE VIEW source_runs AS
        SELECT snapshot_id, source, kind, status, error, requests, accounts, containers, memberships,
               people, retries, waits, wait_seconds, seconds, started_at, finished_at, has_activity, has_admin
        FROM source_run;

        DROP VIEW account_history;
        CREATE VIEW account_history AS
        SELECT r.snapshot_id, r.source, r.kind, a.account_id, a.email, a.canonical_email, a.name, a.role,
               a.is_admin, a.status, a.last_seen, a.created, r.finished_at AS collected_at, a.account_type
        FROM account a JOIN source_run r ON r.id = a.source_run_id
        WHERE r.status = 'ok';
        """

    /// How many accounts an API listed twice under one id, per source run (stored once each).
    static let v4DuplicateRecords = """
        ALTER TABLE source_run ADD COLUMN duplicates INTEGER NOT NULL DEFAULT 0;

        DROP VIEW source_runs;
        CREATE VIEW source_runs AS
        SELECT snapshot_id, source, kind, status, error, requests, accounts, containers, memberships,
               people, retries, waits, wait_seconds, seconds, started_at, finished_at, has_activity, has_admin,
               duplicates
        FROM source_run;
        """

    /// Review campaigns (the README, "Running a quarterly review"): a frozen
    /// copy of the access list, one item per account, that later collects
    /// never change; decisions are only ever added; delegations and the
    /// campaign's events are recorded.
    static let v5Campaigns = """
        CREATE TABLE campaign (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            snapshot_id INTEGER REFERENCES snapshot(id),
            review_run_id INTEGER REFERENCES review_run(id),
            sources TEXT NOT NULL,
            started_at TEXT NOT NULL,
            due TEXT,
            allow_stale TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            closed_at TEXT,
            undecided TEXT CHECK (undecided IN ('keep', 'revoke', 'leave'))
        );

        CREATE TABLE campaign_item (
            campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
            item INTEGER NOT NULL,
            source TEXT NOT NULL,
            account_id TEXT NOT NULL,
            email TEXT,
            name TEXT,
            person_email TEXT,
            person_name TEXT,
            department TEXT,
            roster_status TEXT,
            manager_email TEXT,
            role TEXT,
            is_admin INTEGER NOT NULL,
            status TEXT NOT NULL,
            last_seen TEXT,
            created TEXT,
            memberships TEXT NOT NULL,
            account_type TEXT,
            findings TEXT NOT NULL,
            assigned_reviewer TEXT,
            reviewer TEXT,
            reviewer_reason TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            PRIMARY KEY (campaign_id, item)
        ) WITHOUT ROWID;
        CREATE INDEX campaign_item_by_reviewer ON campaign_item(campaign_id, reviewer);

        CREATE TABLE decision (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
            item INTEGER NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('keep', 'revoke', 'modify', 'dont-know')),
            reason TEXT,
            reviewer TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            file TEXT,
            file_sha256 TEXT,
            line INTEGER,
            carried_from TEXT,
            FOREIGN KEY (campaign_id, item) REFERENCES campaign_item(campaign_id, item)
        );
        CREATE INDEX decision_by_item ON decision(campaign_id, item, id);

        CREATE TABLE campaign_event (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            event TEXT NOT NULL,
            detail TEXT NOT NULL
        );

        CREATE VIEW campaigns AS
        SELECT c.name, c.status, c.started_at, c.due, c.closed_at, c.undecided, c.allow_stale, c.sources,
               c.snapshot_id, c.review_run_id,
               (SELECT count(*) FROM campaign_item i WHERE i.campaign_id = c.id) AS items,
               (SELECT count(DISTINCT d.item) FROM decision d WHERE d.campaign_id = c.id) AS decided
        FROM campaign c;

        -- The last decision of each item (decisions are only ever added).
        CREATE VIEW decisions AS
        SELECT c.name AS campaign, d.item, i.source, i.account_id, d.decision, d.reason, d.reviewer,
               d.decided_at, d.file, d.file_sha256, d.line, d.carried_from
        FROM decision d
        JOIN campaign c ON c.id = d.campaign_id
        JOIN campaign_item i ON i.campaign_id = d.campaign_id AND i.item = d.item
        WHERE d.id = (SELECT max(l.id) FROM decision l WHERE l.campaign_id = d.campaign_id AND l.item = d.item);

        CREATE VIEW campaign_items AS
        SELECT c.name AS campaign, i.item, i.source, i.account_id, i.email, i.name, i.person_email, i.person_name,
               i.department, i.roster_status, i.manager_email, i.role, i.is_admin, i.status, i.last_seen, i.created,
               i.memberships, i.account_type, i.findings, i.reviewer, i.assigned_reviewer, i.reviewer_reason,
               i.fingerprint, d.decision, d.reason, d.reviewer AS decided_by, d.decided_at
        FROM campaign_item i
        JOIN campaign c ON c.id = i.campaign_id
        LEFT JOIN decision d ON d.campaign_id = i.campaign_id AND d.item = i.item
            AND d.id = (SELECT max(l.id) FROM decision l WHERE l.campaign_id = i.campaign_id AND l.item = i.item);

        CREATE VIEW campaign_progress AS
        SELECT campaign, reviewer, count(*) AS assigned, count(decision) AS decided,
               count(*) - count(decision) AS left
        FROM campaign_items GROUP BY campaign, reviewer;
        """

    /// Remediation of a campaign's revoke and modify decisions: what is
    /// planned (with its due date) and every check of it against a later
    /// collect; the `remediation` view shows each planned item with its latest check.
    static let v6Remediation = """
        CREATE TABLE remediation_item (
            campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
            item INTEGER NOT NULL,
            origin TEXT NOT NULL,
            action TEXT NOT NULL,
            due TEXT NOT NULL,
            planned_at TEXT NOT NULL,
            PRIMARY KEY (campaign_id, item),
            FOREIGN KEY (campaign_id, item) REFERENCES campaign_item(campaign_id, item)
        ) WITHOUT ROWID;

        CREATE TABLE remediation_check (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            campaign_id INTEGER NOT NULL,
            item INTEGER NOT NULL,
            checked_at TEXT NOT NULL,
            snapshot_id INTEGER,
            state TEXT NOT NULL CHECK (state IN ('fixed', 'partly-fixed', 'still-present', 'unverifiable')),
            detail TEXT NOT NULL,
            FOREIGN KEY (campaign_id, item) REFERENCES remediation_item(campaign_id, item) ON DELETE CASCADE
        );
        CREATE INDEX remediation_check_by_item ON remediation_check(campaign_id, item, id);

        CREATE VIEW remediation AS
        SELECT c.name AS campaign, r.item, i.source, i.account_id, i.email, i.person_email, r.origin, r.action,
               r.due, r.planned_at, k.state, k.detail, k.snapshot_id, k.checked_at
        FROM remediation_item r
        JOIN campaign c ON c.id = r.campaign_id
        JOIN campaign_item i ON i.campaign_id = r.campaign_id AND i.item = r.item
        LEFT JOIN remediation_check k ON k.campaign_id = r.campaign_id AND k.item = r.item
            AND k.id = (SELECT max(l.id) FROM remediation_check l WHERE l.campaign_id = r.campaign_id AND l.item = r.item);
        """

    /// Credentials accounts hold in their source (ProcessMaker personal access
    /// tokens, with `collect_tokens: true`): owner, name, dates and whether
    /// revoked; never a secret.
    static let v7Credentials = """
        CREATE TABLE credential (
            source_run_id INTEGER NOT NULL REFERENCES source_run(id) ON DELETE CASCADE,
            credential_id TEXT NOT NULL,
            account_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            name TEXT,
            created TEXT,
            expires TEXT,
            revoked INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (source_run_id, credential_id)
        ) WITHOUT ROWID;
        CREATE INDEX credential_by_account ON credential(source_run_id, account_id);

        CREATE VIEW credentials AS
        SELECT c.source, c.kind AS source_kind, k.kind, k.credential_id, k.account_id, a.email AS owner_email,
               a.canonical_email AS owner_canonical_email, a.status AS owner_status, k.name, k.created, k.expires,
               k.revoked, c.stale, c.collected_at
        FROM credential k
        JOIN current_source_runs c ON c.source_run_id = k.source_run_id
        LEFT JOIN account a ON a.source_run_id = k.source_run_id AND a.account_id = k.account_id;
        """

    /// The evidence an auditor re-verifies (the README, "Evidence for auditors").
    ///
    /// Per source run, the population as the API described it: the total the API
    /// itself reported for the account listing (`NULL` where it reports none), the
    /// records that listing returned, the responses read, how the list ended, and
    /// whose token it was where the API says so (never a secret). Every request
    /// sent, in `request_log`, with the SHA-256 of its response body.
    ///
    /// Per review run, what it ran: each rule's SQL as it was read and whether it
    /// ran, the parameters (thresholds and the configuration facts) as JSON, and
    /// the source run it read of every source.
    static let v8Evidence = """
        ALTER TABLE source_run ADD COLUMN reported_total INTEGER;
        ALTER TABLE source_run ADD COLUMN listed INTEGER;
        ALTER TABLE source_run ADD COLUMN pages INTEGER;
        ALTER TABLE source_run ADD COLUMN list_end TEXT;
        ALTER TABLE source_run ADD COLUMN acting_as TEXT;

        CREATE TABLE request_log (
            source_run_id INTEGER NOT NULL REFERENCES source_run(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            sent_at TEXT NOT NULL,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            status INTEGER NOT NULL,
            records INTEGER,
            bytes INTEGER,
            sha256 TEXT,
            milliseconds INTEGER NOT NULL,
            PRIMARY KEY (source_run_id, seq)
        ) WITHOUT ROWID;

        DROP VIEW source_runs;
        CREATE VIEW source_runs AS
        SELECT snapshot_id, source, kind, status, error, requests, accounts, containers, memberships,
               people, retries, waits, wait_seconds, seconds, started_at, finished_at, has_activity, has_admin,
               duplicates, id AS source_run_id, reported_total, listed, pages, list_end, acting_as
        FROM source_run;

        -- One row per HTTP request a collect sent (token requests included); `status` 0 when no
        -- response came; `sha256` of the response body, NULL for a token response (it holds a credential).
        CREATE VIEW request_journal AS
        SELECT r.snapshot_id, r.source, j.source_run_id, j.seq, j.sent_at, j.method, j.path, j.status,
               j.records, j.bytes, j.sha256, j.milliseconds
        FROM request_log j JOIN source_run r ON r.id = j.source_run_id;

        ALTER TABLE review_run ADD COLUMN parameters TEXT;

        CREATE TABLE review_rule (
            review_run_id INTEGER NOT NULL REFERENCES review_run(id) ON DELETE CASCADE,
            rule TEXT NOT NULL,
            file TEXT NOT NULL,
            sql TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'skipped')),
            PRIMARY KEY (review_run_id, rule)
        );

        CREATE TABLE review_input (
            review_run_id INTEGER NOT NULL REFERENCES review_run(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            source_run_id INTEGER NOT NULL REFERENCES source_run(id),
            stale INTEGER NOT NULL,
            PRIMARY KEY (review_run_id, source)
        );

        DROP VIEW review_runs;
        CREATE VIEW review_runs AS
        SELECT id, snapshot_id, as_of, inactive_days, stale_invite_days, started_at, finished_at, status, parameters
        FROM review_run;

        CREATE VIEW review_rules AS
        SELECT review_run_id, rule, file, status, sql FROM review_rule;
        """

    /// The few accounts that are not a person's (service and external), by source run and status,
    /// so `non-human-access` finds them without reading every human account. The index's
    /// condition is the rule's own (`account_type <> 'human'`), which SQLite needs to use it.
    static let v9NonHumanIndex = """
        CREATE INDEX account_non_human ON account(source_run_id, status) WHERE account_type <> 'human';
        """

    /// Tables: the implementation's own; analysts read the views.
    ///
    /// The built-in rules deactivated-with-access, inactive, non-human-access, orphaned,
    /// over-privileged and token-of-inactive-user read these tables (run by run from
    /// `current_source_runs`) instead of the views, for their query plans: each says so in its
    /// header, and `RulePlanTests` guards that none scans the rows of every snapshot.
    ///
    /// Every collected row belongs to a `source_run`. Rows of a run become
    /// visible only when the run is marked `ok`, in one transaction, so a failed
    /// or killed collection never shows half a source.
    static let v1Tables = """
        CREATE TABLE snapshot (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'partial', 'failed'))
        );
        CREATE TABLE source_run (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
            source TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
            error TEXT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            requests INTEGER NOT NULL DEFAULT 0,
            accounts INTEGER NOT NULL DEFAULT 0,
            containers INTEGER NOT NULL DEFAULT 0,
            memberships INTEGER NOT NULL DEFAULT 0,
            people INTEGER NOT NULL DEFAULT 0,
            retries INTEGER NOT NULL DEFAULT 0,
            waits INTEGER NOT NULL DEFAULT 0,
            wait_seconds REAL NOT NULL DEFAULT 0,
            seconds REAL,
            has_activity INTEGER NOT NULL DEFAULT 0,
            UNIQUE (snapshot_id, source)
        );
        CREATE INDEX source_run_by_source ON source_run(source, status, id);

        CREATE TABLE person (
            source_run_id INTEGER NOT NULL REFERENCES source_run(id) ON DELETE CASCADE,
            email TEXT NOT NULL,
            given_email TEXT NOT NULL,
            name TEXT,
            department TEXT,
            manager_email TEXT,
            status TEXT NOT NULL,
            termination_date TEXT,
            line INTEGER,
            PRIMARY KEY (source_run_id, email)
        ) WITHOUT ROWID;
        CREATE INDEX person_by_email ON person(email);

        CREATE TABLE account (
            source_run_id INTEGER NOT NULL REFERENCES source_run(id) ON DELETE CASCADE,
            account_id TEXT NOT NULL,
            email TEXT,
            canonical_email TEXT,
            name TEXT,
            role TEXT,
            is_admin INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL CHECK (status IN ('active', 'invited', 'inactive')),
            last_seen TEXT,
            created TEXT,
            PRIMARY KEY (source_run_id, account_id)
        ) WITHOUT ROWID;
        CREATE INDEX account_by_email ON account(canonical_email);

        CREATE TABLE container (
            source_run_id INTEGER NOT NULL REFERENCES source_run(id) ON DELETE CASCADE,
            container_id TEXT NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('group', 'project', 'organization')),
            name TEXT,
            PRIMARY KEY (source_run_id, container_id)
        ) WITHOUT ROWID;

        CREATE TABLE membership (
            source_run_id INTEGER NOT NULL REFERENCES source_run(id) ON DELETE CASCADE,
            container_id TEXT NOT NULL,
            account_id TEXT NOT NULL,
            role TEXT,
            PRIMARY KEY (source_run_id, container_id, account_id)
        ) WITHOUT ROWID;
        CREATE INDEX membership_by_account ON membership(source_run_id, account_id);

        -- A container inside a container (a ProcessMaker group in a group).
        CREATE TABLE container_edge (
            source_run_id INTEGER NOT NULL REFERENCES source_run(id) ON DELETE CASCADE,
            parent_id TEXT NOT NULL,
            child_id TEXT NOT NULL,
            PRIMARY KEY (source_run_id, parent_id, child_id)
        ) WITHOUT ROWID;
        CREATE INDEX container_edge_by_child ON container_edge(source_run_id, child_id);

        CREATE TABLE review_run (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            snapshot_id INTEGER REFERENCES snapshot(id),
            as_of TEXT NOT NULL,
            inactive_days INTEGER NOT NULL,
            stale_invite_days INTEGER NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
            warnings TEXT
        );

        CREATE TABLE finding (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            review_run_id INTEGER NOT NULL REFERENCES review_run(id) ON DELETE CASCADE,
            rule TEXT NOT NULL,
            severity TEXT NOT NULL,
            source TEXT,
            account_id TEXT,
            email TEXT,
            name TEXT,
            detail TEXT
        );
        CREATE INDEX finding_by_run ON finding(review_run_id, rule);
        """

    /// Views: the stable SQL contract of the README, "The graph".
    static let v1Views = """
        -- Each source's latest good run; stale when a later run failed or never finished.
        CREATE VIEW current_source_runs AS
        SELECT r.id AS source_run_id, r.snapshot_id, r.source, r.kind, r.finished_at AS collected_at,
               r.has_activity,
               EXISTS (SELECT 1 FROM source_run l
                       WHERE l.source = r.source AND l.id > r.id AND l.status <> 'ok') AS stale
        FROM source_run r
        WHERE r.status = 'ok'
          AND r.id = (SELECT max(m.id) FROM source_run m WHERE m.source = r.source AND m.status = 'ok');

        CREATE VIEW people AS
        SELECT p.email, p.name, p.department, p.manager_email, p.status, p.termination_date,
               c.source, p.given_email
        FROM person p JOIN current_source_runs c ON c.source_run_id = p.source_run_id;

        CREATE VIEW accounts AS
        SELECT c.source, c.kind, a.account_id, a.email, a.canonical_email, a.name, a.role, a.is_admin,
               a.status, a.last_seen, a.created,
               (SELECT p.email FROM people p WHERE p.email = a.canonical_email LIMIT 1) AS person_email,
               c.stale, c.collected_at
        FROM account a JOIN current_source_runs c ON c.source_run_id = a.source_run_id;

        CREATE VIEW containers AS
        SELECT c.source, k.container_id, k.type, k.name
        FROM container k JOIN current_source_runs c ON c.source_run_id = k.source_run_id;

        CREATE VIEW memberships AS
        SELECT c.source, m.account_id, m.container_id, m.role
        FROM membership m JOIN current_source_runs c ON c.source_run_id = m.source_run_id;

        CREATE VIEW container_edges AS
        SELECT c.source, e.parent_id, e.child_id
        FROM container_edge e JOIN current_source_runs c ON c.source_run_id = e.source_run_id;

        -- Direct memberships plus those inherited through nested containers; `path`
        -- lists the containers from the direct one to this one, joined by ' > '.
        CREATE VIEW effective_memberships AS
        WITH RECURSIVE effective(source_run_id, account_id, container_id, role, path, depth) AS (
            SELECT m.source_run_id, m.account_id, m.container_id, m.role, m.container_id, 0
            FROM membership m JOIN current_source_runs c ON c.source_run_id = m.source_run_id
            UNION
            SELECT f.source_run_id, f.account_id, e.parent_id, f.role, f.path || ' > ' || e.parent_id, f.depth + 1
            FROM effective f
            JOIN container_edge e ON e.source_run_id = f.source_run_id AND e.child_id = f.container_id
            WHERE f.depth < 16 AND instr(' > ' || f.path || ' > ', ' > ' || e.parent_id || ' > ') = 0
        )
        SELECT c.source, f.account_id, f.container_id, f.role, f.path, f.depth = 0 AS direct
        FROM effective f JOIN current_source_runs c ON c.source_run_id = f.source_run_id;

        CREATE VIEW snapshots AS
        SELECT id, started_at, finished_at, status FROM snapshot;

        CREATE VIEW source_runs AS
        SELECT snapshot_id, source, kind, status, error, requests, accounts, containers, memberships,
               people, retries, waits, wait_seconds, seconds, started_at, finished_at
        FROM source_run;

        -- Every stored version of every account, for comparing two collections.
        CREATE VIEW account_history AS
        SELECT r.snapshot_id, r.source, r.kind, a.account_id, a.email, a.canonical_email, a.name, a.role,
               a.is_admin, a.status, a.last_seen, a.created, r.finished_at AS collected_at
        FROM account a JOIN source_run r ON r.id = a.source_run_id
        WHERE r.status = 'ok';

        CREATE VIEW review_runs AS
        SELECT id, snapshot_id, as_of, inactive_days, stale_invite_days, started_at, finished_at, status
        FROM review_run;

        CREATE VIEW findings AS
        SELECT f.rule, f.severity, f.source, f.account_id, f.email, f.name, f.detail, r.as_of,
               r.id AS review_run_id
        FROM finding f JOIN review_run r ON r.id = f.review_run_id
        WHERE r.id = (SELECT max(id) FROM review_run WHERE status = 'ok');
        """
}
