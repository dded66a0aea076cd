-- id: over-privileged
-- severity: high
-- description: An active admin account whose canonical email is not in that source's approved_admins; when the list is absent or empty, every admin of the source is flagged.
--
-- approved_admins comes from the configuration, not the graph: the review
-- loads it, canonicalised like every account email, into
-- temp.approved_admins(source, email), and records in
-- temp.review_sources.has_approved_admins whether the source has the key at
-- all (0 when absent). A source that is in the graph but no longer configured
-- has no list, so all its admins are flagged.
--
-- The accounts are read run by run from the current source runs (the CROSS
-- JOIN keeps that order): each run's active accounts are one range of
-- account_by_status.
--
-- Available to every rule: the views accounts, people, containers,
-- memberships, current_source_runs; temp.review_sources(source, kind,
-- has_approved_admins, is_roster); temp.approved_admins(source, email); the
-- parameters :as_of (ISO 8601 UTC text), :inactive_days, :stale_invite_days.
WITH lists AS (
    SELECT s.source, s.has_approved_admins,
           (SELECT count(*) FROM temp.approved_admins x WHERE x.source = s.source) AS approved
    FROM temp.review_sources s
)
SELECT c.source, a.account_id, a.email, a.name,
       'admin' || coalesce(' (role ' || a.role || ')', '') || '; '
       || CASE
              WHEN coalesce(l.has_approved_admins, 0) = 0 THEN
                  'no approved_admins list is configured for ' || c.source || ', so every admin is flagged'
              WHEN l.approved = 0 THEN
                  'the approved_admins list of ' || c.source || ' is empty, so every admin is flagged'
              WHEN a.canonical_email IS NULL THEN
                  'the account has no email, so it matches none of the ' || l.approved
                  || ' approved admins of ' || c.source
              ELSE
                  a.canonical_email || ' is not among the ' || l.approved || ' approved admins of ' || c.source
          END AS detail
FROM current_source_runs c
CROSS JOIN account a
LEFT JOIN lists l ON l.source = c.source
WHERE a.source_run_id = c.source_run_id
  AND a.is_admin = 1
  AND a.status = 'active'
  AND NOT EXISTS (
      SELECT 1 FROM temp.approved_admins x
      WHERE x.source = c.source AND x.email = a.canonical_email)
ORDER BY c.source, a.account_id;
