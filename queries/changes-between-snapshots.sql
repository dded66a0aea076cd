-- Accounts added, removed or changed (status, role, admin) between two collections.
-- Snapshot ids are in the `snapshots` view. A source not collected in a snapshot is skipped.
-- Usage: idgraph query --file queries/changes-between-snapshots.sql --param from=1 --param to=5
WITH old AS (SELECT * FROM account_history WHERE snapshot_id = CAST(:from AS INTEGER)),
     new AS (SELECT * FROM account_history WHERE snapshot_id = CAST(:to AS INTEGER)),
     sources AS (SELECT source FROM old INTERSECT SELECT source FROM new)
SELECT 'added' AS change, n.source, n.account_id, n.canonical_email, NULL AS before, n.status || ' ' || coalesce(n.role, '') AS after
FROM new n WHERE n.source IN sources
  AND NOT EXISTS (SELECT 1 FROM old o WHERE o.source = n.source AND o.account_id = n.account_id)
UNION ALL
SELECT 'removed', o.source, o.account_id, o.canonical_email, o.status || ' ' || coalesce(o.role, ''), NULL
FROM old o WHERE o.source IN sources
  AND NOT EXISTS (SELECT 1 FROM new n WHERE n.source = o.source AND n.account_id = o.account_id)
UNION ALL
SELECT 'changed', n.source, n.account_id, n.canonical_email,
       o.status || ' ' || coalesce(o.role, '') || CASE o.is_admin WHEN 1 THEN ' admin' ELSE '' END,
       n.status || ' ' || coalesce(n.role, '') || CASE n.is_admin WHEN 1 THEN ' admin' ELSE '' END
FROM new n JOIN old o ON o.source = n.source AND o.account_id = n.account_id
WHERE o.status IS NOT n.status OR o.role IS NOT n.role OR o.is_admin IS NOT n.is_admin
ORDER BY 1, 2, 4;
