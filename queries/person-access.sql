-- One person's access across every source, by email (any form: it is canonicalised
-- the same way as stored emails only for case and surrounding spaces).
-- Usage: idgraph query --file queries/person-access.sql --param email=ana@acme.com
SELECT a.source, a.account_id, a.email, a.role, a.is_admin, a.status, a.last_seen,
       m.container_id, c.name AS container, c.type, m.role AS container_role
FROM accounts a
LEFT JOIN memberships m ON m.source = a.source AND m.account_id = a.account_id
LEFT JOIN containers c ON c.source = m.source AND c.container_id = m.container_id
WHERE a.canonical_email = lower(trim(:email))
ORDER BY a.source, c.name;
