-- id: deactivated-with-access
-- severity: medium
-- description: A deactivated account that still holds a group or project membership.
--
-- Direct memberships only (the memberships view) of groups and projects: an
-- organization is the whole tenant, not access granted on top of the account.
-- The detail gives how many containers and the first three names in
-- alphabetical order (the container id where a container has no name).
--
-- Available to every rule: the views accounts, people, containers,
-- memberships, current_source_runs; temp.review_sources(source, kind,
-- has_approved_admins, is_roster); temp.approved_admins(source, email); the
-- parameters :as_of (ISO 8601 UTC text), :inactive_days, :stale_invite_days.
WITH held AS (
    SELECT m.source, m.account_id, coalesce(k.name, m.container_id) AS container
    FROM memberships m
    LEFT JOIN containers k ON k.source = m.source AND k.container_id = m.container_id
    WHERE k.type IS NULL OR k.type <> 'organization'
),
counted AS (
    SELECT a.source, a.account_id, a.email, a.name,
           (SELECT count(*) FROM held h WHERE h.source = a.source AND h.account_id = a.account_id) AS held_count
    FROM accounts a
    WHERE a.status = 'inactive'
)
SELECT c.source, c.account_id, c.email, c.name,
       'deactivated account still in ' || c.held_count
       || CASE WHEN c.held_count = 1 THEN ' container: ' ELSE ' containers: ' END
       || (SELECT group_concat(container, ', ')
           FROM (SELECT h.container FROM held h
                 WHERE h.source = c.source AND h.account_id = c.account_id
                 ORDER BY h.container LIMIT 3))
       || CASE WHEN c.held_count > 3 THEN ', …' ELSE '' END AS detail
FROM counted c
WHERE c.held_count > 0
ORDER BY c.source, c.account_id;
