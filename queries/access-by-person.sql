-- Everyone's access, one row per account, grouped by the roster person it joins.
-- Accounts that join no roster person are listed under their own canonical email.
-- Usage: idgraph query --file queries/access-by-person.sql --format csv
SELECT coalesce(a.person_email, a.canonical_email, '(no email)') AS person,
       p.name AS person_name,
       p.status AS roster_status,
       p.manager_email AS reviewer,
       a.source,
       a.account_id,
       a.role,
       a.is_admin,
       a.status,
       a.last_seen,
       (SELECT group_concat(coalesce(c.name, m.container_id), '; ')
          FROM memberships m
          LEFT JOIN containers c ON c.source = m.source AND c.container_id = m.container_id
         WHERE m.source = a.source AND m.account_id = a.account_id) AS memberships
FROM accounts a
LEFT JOIN people p ON p.email = a.person_email
ORDER BY person, a.source, a.account_id;
