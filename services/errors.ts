/**
 * Typed, one-line errors for what a newcomer hits when the local services are provisioned or started.
 * `message` says what happened, `hint` says what to do; the CLI prints `${message} — ${hint}`
 * with no stack trace and exits non-zero.
 */
import { KgtuneError } from '../configs/pure/errors.js';

export type ServiceErrorType =
  | 'JavaMissing'
  | 'JavaTooOld'
  | 'ToolMissing'
  | 'PortTaken'
  | 'RegistryUnreachable'
  | 'ProvisionFailed'
  | 'Neo4jAuth'
  | 'Neo4jUnreachable'
  | 'TemporalUnreachable'
  | 'StartTimeout'
  | 'StartFailed'
  | 'Busy'
  | 'GraphSchema';

/** What may work on a second try without anyone changing anything: the network, a server still starting, a lock. */
const TRANSIENT: ReadonlySet<ServiceErrorType> = new Set(['RegistryUnreachable', 'Neo4jUnreachable', 'TemporalUnreachable', 'StartTimeout', 'Busy']);

export class ServiceError extends KgtuneError {
  override readonly name = 'ServiceError';
  get code(): string { return this.type; }
  get retryable(): boolean { return TRANSIENT.has(this.type); }
  constructor(
    readonly type: ServiceErrorType,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }

  /** `what happened — what to do`, on one line. */
  oneLine(): string {
    return `${this.message} — ${this.hint}`;
  }
}

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof ServiceError;
}

/** The major version in `java -version` output: `openjdk version "17.0.15"` → 17, `java version "1.8.0_292"` → 8. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const m = /version "([^"]+)"/.exec(versionOutput);
  const v = m?.[1];
  if (!v) return undefined;
  const parts = v.split(/[._+-]/);
  const first = Number(parts[0]);
  if (!Number.isFinite(first)) return undefined;
  if (first === 1) {
    const second = Number(parts[1]);
    return Number.isFinite(second) ? second : undefined;
  }
  return first;
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The last meaningful line of a failed command's output (Maven's `[ERROR]` lines, pip's `ERROR:` lines, else the last line). */
export function lastErrorLine(output: string): string {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.replace(ANSI, '').trim())
    .filter((l) => l.length > 0);
  const errors = lines.filter((l) => /^\[ERROR\]|^ERROR:|error:/i.test(l) && !/^\[ERROR\]\s*(->|Re-run|To see|For more|$)/.test(l) && !/^\[ERROR\] \[Help/.test(l));
  const pick = errors[0] ?? lines[lines.length - 1] ?? '(no output)';
  return pick.length > 300 ? `${pick.slice(0, 297)}...` : pick;
}

const NETWORK_MARKERS = [
  /Could not transfer/i,
  /Unknown ?host/i,
  /Connection refused/i,
  /Connection reset/i,
  /Network is unreachable/i,
  /timed? ?out/i,
  /Temporary failure in name resolution/i,
  /Name or service not known/i,
  /NewConnectionError/i,
  /Max retries exceeded/i,
  /Retrying \(Retry/i,
  /ProxyError/i,
  /SSLError|SSLHandshake|PKIX path/i,
  /No route to host/i,
];

/** The most telling network failure in the output (pip's urllib3 retry warnings are long: keep the cause). */
function networkLine(output: string): string | undefined {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter((l) => NETWORK_MARKERS.some((re) => re.test(l)));
  const last = lines[lines.length - 1];
  if (!last) return undefined;
  const cause = /(Could not transfer artifact \S+ from\/to \S+ \([^)]*\)|Failed to establish a new connection: [^'"]+|Temporary failure in name resolution|Name or service not known|Connection refused|Network is unreachable|Read timed out[^'"]*)/.exec(last);
  const pick = cause?.[1] ?? last;
  return pick.length > 300 ? `${pick.slice(0, 297)}...` : pick;
}

/**
 * Turns a failed download (pip or Maven) into a ServiceError: a network failure is RegistryUnreachable;
 * a version the registry does not have is ProvisionFailed. Either way the message carries the tool's last error line.
 */
export function classifyDownloadFailure(tool: 'pip' | 'mvn', what: string, output: string, versionHint: string): ServiceError {
  const line = lastErrorLine(output);
  const network = NETWORK_MARKERS.some((re) => re.test(output));
  const listedVersions = /\(from versions: (?!none)[^)]+\)/.test(output);
  const notFound = /Could not find artifact|No versions available|was not found in/i.test(output) && !/Could not transfer/i.test(output);
  if (!network && (listedVersions || notFound)) {
    return new ServiceError('ProvisionFailed', `${tool} could not find ${what}: ${line}`, versionHint);
  }
  return new ServiceError(
    'RegistryUnreachable',
    `${tool} could not download ${what}: ${networkLine(output) ?? line}`,
    tool === 'pip'
      ? 'check the network/proxy to the Python package index (pip config, PIP_INDEX_URL) and run again'
      : 'check the network/proxy to the Maven repository (~/.m2/settings.xml mirrors) and run again',
  );
}
