import fs from 'node:fs';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import neo4j from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../configs/env.js';
import {
  assertNeo4jReachable,
  assertPortFree,
  assertTemporalReachable,
  NEO4J_VERSION,
  SEARCH_ATTRIBUTES,
  ServiceError,
  servicesStatus,
  servicesUp,
  testServerPath,
} from '../../services/index.js';

const env = loadEnv();

describe('the real services (started by global-setup)', () => {
  it('reports both healthy, and a second up finds them running', async () => {
    const status = await servicesStatus(env);
    expect(status.temporal.healthy).toBe(true);
    expect(status.neo4j.healthy).toBe(true);
    expect(status.uiUrl).toBe(`http://${env.TEMPORAL_HOST}:${env.TEMPORAL_UI_PORT}/namespaces/${env.TEMPORAL_NAMESPACE}/workflows`);
    const lines: string[] = [];
    const t0 = Date.now();
    await servicesUp(env, (l) => lines.push(l));
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(lines.join('\n')).toContain('already running');
    expect(lines.join('\n')).toContain(status.uiUrl);
  });

  it('refuses to start over a port that is in use', async () => {
    const err = await assertPortFree('Neo4j', env.NEO4J_HOST, env.NEO4J_BOLT_PORT, 'NEO4J_BOLT_PORT').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).type).toBe('PortTaken');
  });
});

describe('Neo4j', () => {
  const driver = neo4j.driver(env.neo4jUri, neo4j.auth.basic(env.NEO4J_USER, env.NEO4J_PASSWORD));
  const tenant = `services-test-${process.pid}-${Date.now()}`;
  afterAll(async () => {
    await driver.executeQuery('MATCH (n:ServicesProbe {tenant: $tenant}) DETACH DELETE n', { tenant });
    await driver.close();
  });

  it('writes and reads a node scoped by tenant', async () => {
    await driver.executeQuery('CREATE (:ServicesProbe {tenant: $tenant, name: $name, at: datetime()})', { tenant, name: '科大讯飞' });
    const { records } = await driver.executeQuery('MATCH (n:ServicesProbe {tenant: $tenant}) RETURN n.name AS name', { tenant }, { routing: neo4j.routing.READ });
    expect(records.map((r) => r.get('name'))).toEqual(['科大讯飞']);
  });

  it('is the expected version, with auth on', async () => {
    const info = await driver.getServerInfo();
    expect(info.agent).toBe(`Neo4j/${NEO4J_VERSION}`);
    const { records } = await driver.executeQuery('CALL dbms.components() YIELD edition RETURN edition');
    expect(records[0]?.get('edition')).toBe('community');
    await assertNeo4jReachable(env);
  });

  it('a wrong password is a one-line Neo4jAuth error', async () => {
    const err = await assertNeo4jReachable({ ...env, NEO4J_PASSWORD: 'definitely-not-the-password' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).type).toBe('Neo4jAuth');
    expect((err as ServiceError).hint).toContain('neo4j/data');
  });
});

describe('Temporal', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await Connection.connect({ address: env.temporalAddress });
  });
  afterAll(async () => {
    await connection.close();
  });

  it('answers, with the namespace and the search attributes registered', async () => {
    await assertTemporalReachable(env);
    const info = await connection.workflowService.getSystemInfo({});
    expect(info.serverVersion).toMatch(/^\d+\.\d+/);
    const ns = await connection.workflowService.describeNamespace({ namespace: env.TEMPORAL_NAMESPACE });
    expect(ns.namespaceInfo?.name).toBe(env.TEMPORAL_NAMESPACE);
    const attrs = await connection.operatorService.listSearchAttributes({ namespace: env.TEMPORAL_NAMESPACE });
    for (const name of SEARCH_ATTRIBUTES) expect(Object.keys(attrs.customAttributes ?? {})).toContain(name);
  });

  it('the provisioned time-skipping test server starts with the SDK', async () => {
    const path = testServerPath(env);
    expect(fs.existsSync(path)).toBe(true);
    const testEnv = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
    try {
      const sys = await testEnv.connection.workflowService.getSystemInfo({});
      expect(sys.capabilities).toBeDefined();
    } finally {
      await testEnv.teardown();
    }
  });
});
