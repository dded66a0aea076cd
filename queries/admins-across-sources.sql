-- Every admin account in every source, with the roster person behind it (if any).
-- Usage: idgraph query --file queries/admins-across-sources.sql
SELECT a.canonical_email, p.name, p.status AS roster_status, a.source, a.account_id, a.role,
       a.status, a.last_seen, a.stale
FROM accounts a
LEFT JOIN people p ON p.email = a.person_email
WHERE a.is_admin = 1
ORDER BY a.canonical_email, a.source;
