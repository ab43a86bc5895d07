export type RegistryErrorType =
  | 'AdapterNotFound'
  | 'DomainNotFound'
  | 'AliasNotSet'
  | 'NoPreviousVersion'
  | 'GatesNotPassed'
  | 'DatasetDigestMismatch'
  | 'InvalidAdapter'
  | 'ArtifactNotFound'
  | 'ArtifactIntegrity'
  | 'BaseMissing'
  | 'ExportFailed'
  | 'NotImplemented';

/**
 * Registry failures. All are permanent (retrying gives the same answer); Neo4j's transient
 * errors are not wrapped and propagate, so Temporal retries them.
 */
export class RegistryError extends Error {
  readonly permanent = true;
  constructor(
    readonly type: RegistryErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}
