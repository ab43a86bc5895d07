/**
 * One upload request: multipart parts are streamed to staging (hashed, counted, limited), their
 * type sniffed from the bytes, archives inspected and extracted; the result is a list of staged
 * candidates ready for `UploadStore.commit`. Any rejected file rejects the whole request, and
 * the caller removes the staging folder, so nothing of a refused request is kept.
 */
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { ApiConfig } from './config.js';
import { ApiError } from './errors.js';
import { writeHashed } from './internal/hashing-writer.js';
import { SNIFF_BYTES, sniff } from './sniff.js';
import type { Candidate } from './upload-store.js';
import { extractZip, inspectZip } from './zip-inspect.js';

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A name for people (the sidecar, responses): last path segment, no control characters, ≤ 255 chars. */
export function displayName(raw: string | undefined, fallback: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (raw ?? '').replace(/\\/g, '/').split('/').pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (base || fallback).slice(0, 255);
}

export interface Received { candidates: Candidate[]; skipped: { name: string; reason: string }[] }

class Budget {
  files = 0;
  requestBytes = 0;
  constructor(private readonly cfg: ApiConfig) {}

  countFile(name: string): void {
    if (++this.files > this.cfg.uploads.maxFilesPerRequest) {
      throw new ApiError('too_many_files', `more than ${this.cfg.uploads.maxFilesPerRequest} files in one request (archive members count) at '${name}'`);
    }
  }
}

export async function receiveUpload(req: FastifyRequest, cfg: ApiConfig, staging: string): Promise<Received> {
  if (!req.isMultipart()) throw new ApiError('bad_request', 'send the files as multipart/form-data');
  const budget = new Budget(cfg);
  const out: Received = { candidates: [], skipped: [] };
  let n = 0;
  try {
    n = await receiveParts(req, cfg, budget, staging, out);
  } catch (e) {
    // busboy's words for a body that stopped mid-way (client gone, connection cut).
    if (!(e instanceof ApiError) && /unexpected end|premature close|aborted/i.test((e as Error).message ?? '')) {
      throw new ApiError('bad_request', 'the upload was interrupted before the end of the request; nothing was stored');
    }
    throw e;
  }
  if (n === 0) throw new ApiError('bad_request', 'no file in the request (send one or more multipart file fields)');
  return out;
}

async function receiveParts(req: FastifyRequest, cfg: ApiConfig, budget: Budget, staging: string, out: Received): Promise<number> {
  const { maxFileBytes, maxRequestBytes, maxFilesPerRequest } = cfg.uploads;
  let n = 0;
  const parts = req.files({ limits: { fileSize: maxFileBytes, files: maxFilesPerRequest, fields: 20, parts: maxFilesPerRequest + 20 }, throwFileSizeLimit: true });
  for await (const part of parts) {
    const name = displayName(part.filename, `file-${n + 1}`);
    budget.countFile(name);
    const staged = path.join(staging, `part-${n++}`);
    let written;
    try {
      written = await writeHashed(part.file, staged, SNIFF_BYTES, (len) => {
        budget.requestBytes += len;
        if (budget.requestBytes > maxRequestBytes) throw new ApiError('request_too_large', `the request's files exceed ${maxRequestBytes} bytes`);
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new ApiError('file_too_large', `'${name}' is larger than the ${maxFileBytes} bytes allowed per file`);
      throw e;
    }
    if (part.file.truncated) throw new ApiError('file_too_large', `'${name}' is larger than the ${maxFileBytes} bytes allowed per file`);
    await classify({ staged, ...written, name }, cfg, budget, staging, out, undefined);
  }
  return n;
}

interface StagedFile { staged: string; sha256: string; size: number; head: Buffer; name: string }

async function classify(f: StagedFile, cfg: ApiConfig, budget: Budget, staging: string, out: Received, archive: string | undefined): Promise<void> {
  const label = archive ? `${archive}: ${f.name}` : f.name;
  const s = sniff(f.head, f.name);
  if (!s.ok) throw new ApiError('unsupported_type', `'${label}': ${s.detail} (accepted: PDF, DOCX, HTML, text, Markdown, and zip archives of them)`);
  const base = { stagedPath: f.staged, sha256: f.sha256, size: f.size, originalName: f.name, ...(archive ? { archive } : {}) };
  if (s.kind !== 'zip') {
    out.candidates.push({ ...base, mime: s.mime, ext: s.ext });
    return;
  }
  const report = await inspectZip(f.staged, f.size, cfg.zip, cfg.uploads.maxFileBytes, `'${label}'`);
  if (report.isDocx) {
    out.candidates.push({ ...base, mime: DOCX_MIME, ext: 'docx' });
    return;
  }
  if (archive) throw new ApiError('unsupported_type', `'${label}': archives inside archives are not accepted`);
  out.skipped.push(...report.skipped.map((x) => ({ name: `${f.name}/${x.name}`, reason: x.reason })));
  let m = 0;
  const members: StagedFile[] = [];
  await extractZip(f.staged, report, `'${f.name}'`, async (member, stream: Readable) => {
    budget.countFile(member.name);
    const staged = `${f.staged}-m${m++}`;
    let seen = 0;
    const written = await writeHashed(stream, staged, SNIFF_BYTES, (len) => {
      seen += len;
      if (seen > member.uncompressedSize) throw new ApiError('zip_bomb', `'${f.name}': member '${member.name}' inflates beyond its declared size`);
    });
    members.push({ staged, ...written, name: member.name });
  });
  for (const mf of members) await classify(mf, cfg, budget, staging, out, f.name);
}
