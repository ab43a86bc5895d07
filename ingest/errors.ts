/**
 * Typed errors of the ingest layer. Bad input never throws out of `ingestFile`: it becomes a
 * document status + reason. These errors are for misuse (bad options) and for callers that
 * want to turn a status into a failure (`toIngestError`), e.g. an activity that classifies
 * permanent failures as non-retryable by `type`.
 */
import { KgtuneError, PermanentError } from '../configs/pure/errors.js';
export type IngestErrorType =
  | 'IngestInvalidOptions'
  | 'IngestUnsupportedFormat'
  | 'IngestCorruptDocument'
  | 'IngestEncryptedDocument'
  | 'IngestNeedsOcr'
  | 'IngestEmptyDocument';

export class IngestError extends KgtuneError {
  get code(): string { return this.type; }
  get retryable(): boolean { return !this.permanent; }
  readonly type: IngestErrorType;
  /** Permanent: retrying the same bytes gives the same answer. */
  readonly permanent: boolean;
  constructor(type: IngestErrorType, message: string, options?: { cause?: unknown; permanent?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = type;
    this.type = type;
    this.permanent = options?.permanent ?? true;
  }
}

export class InvalidIngestOptionsError extends IngestError {
  constructor(message: string) {
    super('IngestInvalidOptions', message);
  }
}

/**
 * The corpus source itself is refused (outside the tenant's roots, missing, not a folder): the same call gets the
 * same answer. Its code is the activities' 'BadInput', as before it was typed here.
 */
export class SourceRefusedError extends PermanentError('BadInput') {}

export function isIngestError(e: unknown): e is IngestError {
  return e instanceof IngestError;
}

/** Maps a non-ingested document status to the typed error an activity may raise. */
export function toIngestError(status: 'failed' | 'encrypted' | 'needs_ocr' | 'empty', reason: string): IngestError {
  switch (status) {
    case 'encrypted':
      return new IngestError('IngestEncryptedDocument', reason);
    case 'needs_ocr':
      return new IngestError('IngestNeedsOcr', reason);
    case 'empty':
      return new IngestError('IngestEmptyDocument', reason);
    case 'failed':
      return new IngestError(/unsupported/i.test(reason) ? 'IngestUnsupportedFormat' : 'IngestCorruptDocument', reason);
  }
}

/** Message of any thrown value, bounded so a reason never carries a whole document. */
export function describeError(e: unknown, max = 300): string {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return msg.length > max ? `${msg.slice(0, max)}…` : msg;
}
