/** Public API of the local services (Temporal dev server + Neo4j): provision, start, stop, status, typed errors. */
export { servicesUp, servicesDown, servicesStatus, formatStack, type StackStatus, type UpOptions } from './stack.js';
export {
  ServiceError,
  isServiceError,
  parseJavaMajor,
  classifyDownloadFailure,
  lastErrorLine,
  type ServiceErrorType,
} from './errors.js';
export {
  SEARCH_ATTRIBUTES,
  assertTemporalReachable,
  provisionTemporal,
  provisionTestServer,
  startTemporal,
  stopTemporal,
  temporalBinaryPath,
  temporalHealthy,
  temporalPaths,
  temporalPreflight,
  temporalStatus,
  temporalUiUrl,
  temporalVersion,
  testServerPath,
  ensureTestServer,
  ensureTemporalBinary,
  type ServiceStatus,
  type TemporalPaths,
} from './temporal.js';
export {
  NEO4J_VERSION,
  assertNeo4jReachable,
  ensureGraphSchema,
  checkJava,
  javaCommand,
  neo4jConf,
  neo4jPaths,
  neo4jPreflight,
  neo4jStatus,
  probeNeo4j,
  provisionNeo4j,
  startNeo4j,
  stopNeo4j,
  type Neo4jPaths,
} from './neo4j.js';
export { assertPortFree, isPortFree, type Log } from './process.js';
