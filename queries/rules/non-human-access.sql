-- id: non-human-access
-- severity: low
-- description: An active service or external account, so that a reviewer confirms who owns it and that it still needs its access.
--
-- account_type comes from the source (docs/sources.md): Streak userType AGENT
-- and ProcessMaker is_system are service accounts (ProcessMaker's /users hides
-- its system users, so those rarely appear); Procore is_employee false and the
-- ProofHub role Client are external. No roster lists such accounts, so the
-- orphaned rule leaves them to this one. The detail says which kind, the role,
-- and whether the account is an admin.
--
-- It reads the account table run by run from current_source_runs (the CROSS
-- JOIN keeps that order) through account_non_human, a partial index of the
-- accounts whose type is not 'human' (migration v9-non-human-index): the type
-- is one of human, service and external, and the condition is written as the
-- index's own so that SQLite uses it. The human accounts are never read.
--
-- Available to every rule: the views accounts, people, containers,
-- memberships, current_source_runs; temp.review_sources(source, kind,
-- has_approved_admins, is_roster); temp.approved_admins(source, email); the
-- parameters :as_of (ISO 8601 UTC text), :inactive_days, :stale_invite_days.
SELECT c.source, a.account_id, a.email, a.name,
       a.account_type || ' account'
       || coalesce(' with role ' || a.role, '')
       || CASE WHEN a.is_admin = 1 THEN ', admin' ELSE '' END
       || '; confirm who owns it and that it still needs access' AS detail
FROM current_source_runs c
CROSS JOIN account a
WHERE a.source_run_id = c.source_run_id
  AND a.status = 'active'
  AND a.account_type <> 'human'
ORDER BY c.source, a.account_id;
