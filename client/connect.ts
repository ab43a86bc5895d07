import { Client, Connection } from '@temporalio/client';
import neo4j, { type Driver } from 'neo4j-driver';
import type { KgtuneEnv } from '../configs/env.js';
import { KgtuneError } from '../configs/pure/errors.js';

/** A server that does not answer (retryable: it may be starting) or refuses our credentials (not: the same again). */
export class ConnectError extends KgtuneError {
  get code(): string { return this.type; }
  get retryable(): boolean { return this.type !== 'Neo4jAuth'; }
  constructor(message: string, readonly hint: string, readonly type: 'TemporalUnreachable' | 'Neo4jUnreachable' | 'Neo4jAuth') {
    super(message);
    this.name = 'ConnectError';
  }
}

export async function connectTemporal(env: KgtuneEnv): Promise<{ connection: Connection; client: Client }> {
  try {
    const connection = await Connection.connect({ address: env.temporalAddress, connectTimeout: '5s' });
    const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
    return { connection, client };
  } catch {
    throw new ConnectError(`Temporal is not reachable at ${env.temporalAddress}`, 'start it with `kgtune services up`', 'TemporalUnreachable');
  }
}

/** Runs `fn` with a Temporal client and closes the connection afterwards, whatever happens. */
export async function withTemporal<T>(env: KgtuneEnv, fn: (client: Client) => Promise<T>): Promise<T> {
  const { client, connection } = await connectTemporal(env);
  try {
    return await fn(client);
  } finally {
    await connection.close();
  }
}

/** A driver that connects on first use (no round trip now): for processes that may not need Neo4j. */
export function neo4jDriver(env: KgtuneEnv): Driver {
  return neo4j.driver(env.neo4jUri, neo4j.auth.basic(env.NEO4J_USER, env.NEO4J_PASSWORD), { disableLosslessIntegers: true, connectionTimeout: 10_000 });
}

export async function connectNeo4j(env: KgtuneEnv): Promise<Driver> {
  const driver = neo4jDriver(env);
  try {
    await driver.verifyConnectivity();
    return driver;
  } catch (e) {
    await driver.close();
    const code = (e as { code?: string }).code ?? '';
    if (code.includes('Unauthorized') || code.includes('AuthenticationRateLimit')) {
      throw new ConnectError(`Neo4j at ${env.neo4jUri} refused user '${env.NEO4J_USER}': wrong password`, 'set NEO4J_PASSWORD to the password the database was created with (or delete .kgtune/neo4j/data to start over)', 'Neo4jAuth');
    }
    throw new ConnectError(`Neo4j is not reachable at ${env.neo4jUri}`, 'start it with `kgtune services up`', 'Neo4jUnreachable');
  }
}
