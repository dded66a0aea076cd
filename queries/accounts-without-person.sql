-- Accounts whose email joins no roster person: contractors, bots, typos, leavers
-- missing from the roster. (The `orphaned` rule also flags terminated people.)
-- Usage: idgraph query --file queries/accounts-without-person.sql --format csv
SELECT a.source, a.account_id, a.email, a.name, a.role, a.is_admin, a.status, a.last_seen, a.created
FROM accounts a
WHERE a.person_email IS NULL
ORDER BY a.source, a.email;
