-- id: stale-invite
-- severity: low
-- description: An invited account created more than stale_invite_days before as_of.
--
-- "More than" is strict and measured to the second: an invitation created
-- exactly stale_invite_days before as_of is not flagged. An invitation with
-- no creation date cannot be aged and is not flagged here (orphaned still
-- checks it against the roster).
--
-- Available to every rule: the views accounts, people, containers,
-- memberships, current_source_runs; temp.review_sources(source, kind,
-- has_approved_admins, is_roster); temp.approved_admins(source, email); the
-- parameters :as_of (ISO 8601 UTC text), :inactive_days, :stale_invite_days.
WITH candidates AS (
    SELECT a.source, a.account_id, a.email, a.name, a.created,
           CAST(round((julianday(:as_of) - julianday(a.created)) * 86400) AS INTEGER) AS elapsed_seconds
    FROM accounts a
    WHERE a.status = 'invited'
      AND a.created IS NOT NULL
)
SELECT source, account_id, email, name,
       CASE
           WHEN elapsed_seconds / 86400 > :stale_invite_days THEN
               'invited ' || substr(created, 1, 10) || ', ' || (elapsed_seconds / 86400) || ' days before '
               || substr(:as_of, 1, 10) || ', not accepted; threshold ' || :stale_invite_days || ' days'
           ELSE
               'invited ' || created || ', more than ' || :stale_invite_days || ' days before ' || :as_of
               || ', not accepted; threshold ' || :stale_invite_days || ' days'
       END AS detail
FROM candidates
WHERE elapsed_seconds > :stale_invite_days * 86400
ORDER BY source, account_id;
