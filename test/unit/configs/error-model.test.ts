import { ApplicationFailure } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../activities/errors.js';
import { ApiError } from '../../../api/errors.js';
import { UsageError, oneLine } from '../../../cli/errors.js';
import { ConnectError, OperatorError, TenantError } from '../../../client/index.js';
import { KgtuneError } from '../../../configs/pure/errors.js';
import { PdfReadError } from '../../../ingest/index.js';
import { ServiceError } from '../../../services/errors.js';
import { DeviceError } from '../../../training/index.js';

// The errors of services/, api/, cli/ and client/, and the PDF reader's, are KgtuneErrors: a stable code, and
// whether a retry can help decided where they are thrown; activities/errors.ts maps them like every other.
describe('error model outside the stages', () => {
  const cases: [KgtuneError, string, boolean][] = [
    [new ServiceError('PortTaken', 'port 7687 is taken', 'free it'), 'PortTaken', false],
    [new ServiceError('Neo4jUnreachable', 'Neo4j does not answer', 'start it'), 'Neo4jUnreachable', true],
    [new ServiceError('RegistryUnreachable', 'no network', 'check the proxy'), 'RegistryUnreachable', true],
    [new ApiError('not_found', 'no such corpus'), 'not_found', false],
    [new ApiError('rate_limited', 'slow down'), 'rate_limited', true],
    [new ApiError('service_unavailable', 'the database is not reachable'), 'service_unavailable', true],
    [new UsageError('unknown command'), 'UsageError', false],
    [new TenantError('TenantExists', "tenant 'acme' already exists"), 'TenantExists', false],
    [new OperatorError('KeyNotFound', "no operator key 'x'"), 'KeyNotFound', false],
    [new ConnectError('Temporal is not reachable', 'start it', 'TemporalUnreachable'), 'TemporalUnreachable', true],
    [new ConnectError('Neo4j refused user', 'set NEO4J_PASSWORD', 'Neo4jAuth'), 'Neo4jAuth', false],
    [new PdfReadError('PasswordException', 'No password given'), 'PasswordException', false],
    [new PdfReadError('PdfTimeout', 'no result after 60 s'), 'PdfTimeout', false],
    [new PdfReadError('PdfWorkerExit', 'PDF worker thread exited with code 1'), 'PdfWorkerExit', true],
    [new DeviceError('TensorFlow sees no GPU'), 'DeviceError', false],
  ];

  it.each(cases)('%s → code %s, retryable %s', (error, code, retryable) => {
    expect(error).toBeInstanceOf(KgtuneError);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
  });

  it('maps a permanent one to a non-retryable failure typed with its code, and lets a transient one through', () => {
    const permanent = classify(new TenantError('InvalidName', "invalid tenant name 'A B'"));
    expect(permanent).toBeInstanceOf(ApplicationFailure);
    expect((permanent as ApplicationFailure).nonRetryable).toBe(true);
    expect((permanent as ApplicationFailure).type).toBe('InvalidName');
    const transient = new ServiceError('Busy', 'another kgtune holds the lock', 'wait');
    expect(classify(transient)).toBe(transient);
  });

  it('prints as one line with its hint', () => {
    expect(oneLine(new ConnectError('Neo4j is not reachable at bolt://127.0.0.1:7687', 'start it with `kgtune services up`', 'Neo4jUnreachable')))
      .toBe('Neo4j is not reachable at bolt://127.0.0.1:7687 — start it with `kgtune services up`');
  });
});
