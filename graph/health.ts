import type { Driver } from 'neo4j-driver';
import { HEALTH_PROBE_WRITE, HEALTH_PROBE_READ, SERVER_COMPONENTS } from './queries/health.js';

/** Writes a probe node, reads it back, and returns the server's version. Idempotent (MERGE). */
export async function probeNode(driver: Driver, probe: string): Promise<{ version: string; edition: string; wroteAndRead: boolean }> {
  const session = driver.session();
  try {
    await session.executeWrite((tx) => tx.run(HEALTH_PROBE_WRITE, { probe, tenant: '_system' }));
    const read = await session.executeRead((tx) => tx.run(HEALTH_PROBE_READ, { probe, tenant: '_system' }));
    const comp = await session.executeRead((tx) => tx.run(SERVER_COMPONENTS));
    const rec = comp.records[0];
    return {
      version: String(rec?.get('version') ?? 'unknown'),
      edition: String(rec?.get('edition') ?? 'unknown'),
      wroteAndRead: read.records.length === 1 && read.records[0]?.get('probe') === probe,
    };
  } finally {
    await session.close();
  }
}
