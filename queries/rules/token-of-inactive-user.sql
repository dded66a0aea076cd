-- id: token-of-inactive-user
-- severity: high
-- description: A live API token (not revoked, not expired) whose owner's account is deactivated, or whose human owner is not an active roster person.
-- requires: roster
--
-- Tokens are read with collect_tokens: true (ProcessMaker personal access
-- tokens, the credentials view). A ProcessMaker token keeps working after its
-- user is set INACTIVE, so deactivating the user is not enough: the token
-- must be revoked. One finding per token; the account columns are the
-- owner's, and the detail names the token. Read run by run from
-- current_source_runs (the CROSS JOIN keeps that order), so each run's tokens
-- are one range of the credential table's key.
SELECT c.source, k.account_id, a.email, a.name,
       'token ' || coalesce('"' || k.name || '"', k.credential_id) || ' (id ' || k.credential_id || ')'
       || CASE WHEN k.expires IS NULL THEN ', no expiry' ELSE ', expires ' || k.expires END
       || CASE WHEN a.status = 'inactive' THEN '; the owner''s account is deactivated'
               ELSE coalesce('; the owner is ' || (SELECT q.status FROM people q WHERE q.email = a.canonical_email
                                                   ORDER BY q.source LIMIT 1) || ' in the roster',
                             '; the owner is not in the roster') END AS detail
FROM current_source_runs c
CROSS JOIN credential k
JOIN account a ON a.source_run_id = k.source_run_id AND a.account_id = k.account_id
WHERE k.source_run_id = c.source_run_id
  AND k.revoked = 0
  AND (k.expires IS NULL OR k.expires > :as_of)
  AND (a.status = 'inactive'
       OR (a.account_type = 'human' AND NOT EXISTS (
             SELECT 1 FROM people q WHERE q.email = a.canonical_email AND q.status = 'active')))
ORDER BY c.source, k.account_id, k.credential_id
