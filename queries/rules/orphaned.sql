-- id: orphaned
-- severity: high
-- description: An active or invited human account whose canonical email matches no roster person whose status is active (terminated people, unknown emails and accounts without an email all count).
-- requires: roster
--
-- Skipped, with a warning, when no roster source is configured or none has
-- ever been collected (the header line "requires: roster"). The roster reader already merges a re-hired
-- person (a terminated row and an active row) into one active person, and
-- emails join in canonical form (trimmed, lower-cased, NFC, domain aliases
-- applied), so case and alias differences join while look-alike addresses do
-- not. Deactivated accounts are left to deactivated-with-access, and service
-- and external accounts (which no roster lists) to non-human-access.
--
-- The accounts are read run by run from the few current source runs (the
-- CROSS JOIN keeps that order). The active people's emails of the current
-- roster runs are gathered once (SQLite builds a temporary index of the NOT IN
-- list), so each account costs one look-up in it; person.email is never NULL,
-- so NOT IN cannot turn unknown. The roster status for the detail is read
-- only for the accounts that are flagged.
--
-- Available to every rule: the views accounts, people, containers,
-- memberships, current_source_runs; temp.review_sources(source, kind,
-- has_approved_admins, is_roster); temp.approved_admins(source, email); the
-- parameters :as_of (ISO 8601 UTC text), :inactive_days, :stale_invite_days.
WITH candidates AS (
    SELECT c.source, a.account_id, a.email, a.canonical_email, a.name, a.status
    FROM current_source_runs c
    CROSS JOIN account a
    WHERE a.source_run_id = c.source_run_id
      AND a.status IN ('active', 'invited')
      AND a.account_type = 'human'
      AND (a.canonical_email IS NULL
           OR a.canonical_email NOT IN (SELECT p.email FROM current_source_runs r CROSS JOIN person p
                                        WHERE p.source_run_id = r.source_run_id AND p.status = 'active'))
)
SELECT source, account_id, email, name,
       status || ' account; '
       || CASE
              WHEN canonical_email IS NULL THEN 'no email, so it matches no roster person'
              ELSE coalesce((SELECT 'roster person ' || p.email || ' is ' || p.status
                                    || coalesce(' (termination date ' || p.termination_date || ')', '')
                             FROM people p WHERE p.email = canonical_email ORDER BY p.source LIMIT 1),
                            canonical_email || ' is not in the roster')
          END AS detail
FROM candidates
ORDER BY source, account_id;
