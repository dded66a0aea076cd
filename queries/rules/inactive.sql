-- id: inactive
-- severity: medium
-- description: An active account in a source with an activity field whose last activity is more than inactive_days before as_of (its creation date when no activity is recorded); high for admins.
--
-- Only sources that report activity count (current_source_runs.has_activity:
-- Streak and ProcessMaker); elsewhere a quiet account is not evidence of
-- anything. "More than" is strict and measured to the second: an account last
-- seen exactly inactive_days before as_of is not flagged. An active account
-- with neither an activity nor a creation date is flagged too, because nothing
-- shows that it is in use.
--
-- It reads the account table run by run from the current source runs (the
-- CROSS JOIN keeps that order), so each run's active accounts are one range of
-- account_by_status.
--
-- Available to every rule: the views accounts, people, containers,
-- memberships, current_source_runs; temp.review_sources(source, kind,
-- has_approved_admins, is_roster); temp.approved_admins(source, email); the
-- parameters :as_of (ISO 8601 UTC text), :inactive_days, :stale_invite_days.
WITH candidates AS (
    SELECT r.source, a.account_id, a.email, a.name, a.is_admin, a.last_seen, a.created,
           coalesce(a.last_seen, a.created) AS since,
           CAST(round((julianday(:as_of) - julianday(coalesce(a.last_seen, a.created))) * 86400) AS INTEGER)
               AS elapsed_seconds
    FROM current_source_runs r
    CROSS JOIN account a
    WHERE a.source_run_id = r.source_run_id
      AND r.has_activity = 1
      AND a.status = 'active'
)
SELECT CASE WHEN is_admin = 1 THEN 'high' ELSE 'medium' END AS severity,
       source, account_id, email, name,
       CASE
           WHEN since IS NULL THEN
               'no recorded activity or creation date; as of ' || substr(:as_of, 1, 10)
               || '; threshold ' || :inactive_days || ' days'
           WHEN elapsed_seconds / 86400 > :inactive_days THEN
               CASE WHEN last_seen IS NOT NULL THEN 'last seen ' ELSE 'no recorded activity; created ' END
               || substr(since, 1, 10) || ', ' || (elapsed_seconds / 86400) || ' days before '
               || substr(:as_of, 1, 10) || '; threshold ' || :inactive_days || ' days'
           ELSE
               CASE WHEN last_seen IS NOT NULL THEN 'last seen ' ELSE 'no recorded activity; created ' END
               || since || ', more than ' || :inactive_days || ' days before ' || :as_of
               || '; threshold ' || :inactive_days || ' days'
       END
       || CASE WHEN is_admin = 1 THEN '; admin account' ELSE '' END AS detail
FROM candidates
WHERE since IS NULL
   OR elapsed_seconds > :inactive_days * 86400
ORDER BY source, account_id;
