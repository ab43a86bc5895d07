/** Healthcheck probe: one node per probe id, tenant `_system`. */
export const HEALTH_PROBE_WRITE = `
MERGE (h:HealthProbe {tenant: $tenant, probe: $probe})
ON CREATE SET h.createdAt = datetime()
SET h.checkedAt = datetime()`;

export const HEALTH_PROBE_READ = `
MATCH (h:HealthProbe {tenant: $tenant, probe: $probe}) RETURN h.probe AS probe`;

export const SERVER_COMPONENTS = `
CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS version, edition`;
