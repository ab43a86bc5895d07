export { LocalArtifactStore, createArtifactStore, ArtifactStoreConfig, artifactStoreFromEnv, S3Env } from './artifact-store.js';
export { S3ArtifactStore, S3StoreConfig, ArtifactStoreError, MAX_SINGLE_PUT_BYTES } from './s3-artifact-store.js';
export type { S3StoreOptions, S3StoreErrorType } from './s3-artifact-store.js';
export type { ArtifactStore, StoredArtifact } from './artifact-store.js';
export { putAdapterDir, restoreAdapterDir, AdapterManifest, ADAPTER_WEIGHTS_FILE } from './adapter-artifacts.js';
export type { StoredAdapter } from './adapter-artifacts.js';
export { registerAdapter, adapterIdFor } from './register.js';
export { registerRun } from './register-run.js';
export type { RegisterResult } from './register.js';
export { setAlias, rollback, aliasHistory, previousVersion, adapterGatesPassed } from './aliases.js';
export type { AliasMove } from './aliases.js';
export { listAdapters, showAdapter } from './catalog.js';
export type { AdapterDetail, AdapterRef } from './catalog.js';
export { adaptersForDocument, resolveDocuments, sourcesForExample } from './lineage.js';
export type { AdapterFromDocument, DocumentRef, ExampleSource } from './lineage.js';
export { renderModelCard } from './model-card.js';
export { ALIASES, Alias, RegisterAdapterInput, SetAliasInput, RollbackInput } from './model.js';
export type { AliasEvent, AdapterSummary } from './model.js';
export { RegistryError } from './errors.js';
export type { RegistryErrorType } from './errors.js';
export { exportAdapter, exportDetail, findAdapter, resolveVersion, materialize, missingBaseMessage, EXPORT_FORMATS, EXPORT_FILE, ExportRequest, ExportRecord, AdapterSelector } from './export.js';
export type { Materialized, ServingDeps } from './export.js';
export type { ChatOptions, ChatSession } from './export-chat.js';
import type * as Chat from './export-chat.js';

/** `kgtune adapters chat`: a registered adapter merged into its base. Chat loads tfjs, so its module is loaded on the first call. */
export async function openChat(...args: Parameters<typeof Chat.openChat>): ReturnType<typeof Chat.openChat> {
  const chat = await import('./export-chat.js');
  return chat.openChat(...args);
}
