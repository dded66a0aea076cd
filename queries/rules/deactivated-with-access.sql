-- id: deactivated-with-access
-- severity: medium
-- description: A deactivated account that still holds a group or project membership.
--
-- Direct memberships only (the memberships view) of groups and projects: an
-- organization is the whole tenant, not access granted on top of the account.
-- The detail gives how many containers and the first three names in
-- alphabetical order (the container id where a container has no name).
--
-- It reads the tables behind the views (account, membership, container)
-- read run by run from current_source_runs (the CROSS JOIN keeps that order),
-- so each run's deactivated accounts are one range of account_by_status and
-- each costs two look-ups in membership_by_account instead of a scan of every
-- membership.
--
-- Available to every rule: the views accounts, people, containers,
-- memberships, current_source_runs; temp.review_sources(source, kind,
-- has_approved_admins, is_roster); temp.approved_admins(source, email); the
-- parameters :as_of (ISO 8601 UTC text), :inactive_days, :stale_invite_days.
WITH deactivated AS MATERIALIZED (
    SELECT c.source, a.source_run_id, a.account_id, a.email, a.name,
           (SELECT count(*)
            FROM membership m
            LEFT JOIN container k ON k.source_run_id = m.source_run_id AND k.container_id = m.container_id
            WHERE m.source_run_id = a.source_run_id AND m.account_id = a.account_id
              AND (k.type IS NULL OR k.type <> 'organization')) AS held_count
    FROM current_source_runs c
    CROSS JOIN account a
    WHERE a.source_run_id = c.source_run_id
      AND a.status = 'inactive'
)
SELECT d.source, d.account_id, d.email, d.name,
       'deactivated account still in ' || d.held_count
       || CASE WHEN d.held_count = 1 THEN ' container: ' ELSE ' containers: ' END
       || (SELECT group_concat(container, ', ')
           FROM (SELECT coalesce(k.name, m.container_id) AS container
                 FROM membership m
                 LEFT JOIN container k ON k.source_run_id = m.source_run_id AND k.container_id = m.container_id
                 WHERE m.source_run_id = d.source_run_id AND m.account_id = d.account_id
                   AND (k.type IS NULL OR k.type <> 'organization')
                 ORDER BY container LIMIT 3))
       || CASE WHEN d.held_count > 3 THEN ', …' ELSE '' END AS detail
FROM deactivated d
WHERE d.held_count > 0
ORDER BY d.source, d.account_id;
