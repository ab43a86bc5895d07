/** Public face of the ingest stage: pure modules, no Temporal, no Neo4j. */
export { ChunkRecord, DiscoveredTerm, DocumentRecord, DocumentStatus, Lang } from './model.js';
export { IngestError, InvalidIngestOptionsError, SourceRefusedError, isIngestError, toIngestError, type IngestErrorType } from './errors.js';
export { sniff, classifyText, type Sniffed, type SniffedKind, type TextKind } from './sniff.js';
export { decodeText, type DecodedText, type TextEncoding } from './decode-text.js';
export { extractDocument, type Extracted, type ExtractStatus } from './extract.js';
export { PdfPool, PdfReadError, sharedPdfPool, type PdfPoolOptions } from './pdf-pool.js';
export { judgeTextLayer, MIN_TEXT_CHARS_PER_PAGE } from './text-layer.js';
export { htmlToText, markdownToText } from './extract-html.js';
export { normalizePages, normalizeText, isPageNumberLine, type NormalizeOptions, type NormalizeReport } from './normalize.js';
export { detectLang } from './lang.js';
export { Segmenter, sharedSegmenter, parseUserDict, USER_TERM_TAG, type UserTerm, type TaggedWord } from './segment.js';
export { discoverTerms, type DiscoverOptions } from './term-discovery.js';
export { splitSentences, type Span, type SentenceOptions } from './sentences.js';
export { estimateTokens, TOKENS_PER_WORD } from './tokens.js';
export { chunkSentences, chunkId, CHUNK_DEFAULTS, type ChunkOptions, type ChunkSpan } from './chunk.js';
export { detectPii, redactPii, piiConfigFor, PII_KINDS, PII_PLACEHOLDER, PiiConfig, PiiKind, PiiOptions, type PiiOptionsInput, type PiiMatch, type PiiCounts, type Redacted } from './pii.js';
export { isValidChineseId, isValidUscc, luhnValid, orgCodeCheckChar } from './pii-validators.js';
export { NearDuplicateIndex, minhashSignature, estimateJaccard, sha256Hex, type MinHashOptions } from './dedup.js';
export {
  ingestFile,
  ingestCorpusLocal,
  IngestOptions,
  type IngestedFile,
  type IngestedCorpus,
  type CorpusOptions,
  type LocalFile,
} from './pipeline.js';
export {
  checkedCorpusListing, corpusListingWithBytes, displayName, listCorpusFiles, listingPage, LIST_PAGE_MAX_FILES, LIST_PAGE_MAX_NAME_BYTES,
} from './corpus-listing.js';
