import { LABEL as L, REL as R } from './allow-list.js';

export const UPSERT_DATASET = `
MATCH (s:${L.GraphSnapshot} {tenant: $tenant, id: $snapshotId})
MERGE (ds:${L.Dataset} {tenant: $tenant, id: $id})
SET ds.digest = $digest, ds.splits = $splits, ds.snapshotId = $snapshotId
MERGE (ds)-[:${R.FROM_SNAPSHOT}]->(s)
RETURN ds.id AS id`;

export const DATASET_USES_FACTS = `
MATCH (ds:${L.Dataset} {tenant: $tenant, id: $id})
UNWIND $factIds AS fid
MATCH (f:${L.Fact} {tenant: $tenant, id: fid})
MERGE (ds)-[:${R.USES_FACT}]->(f)`;
