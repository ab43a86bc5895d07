/**
 * AWS Signature Version 4 (header-based), as the S3-compatible artifact store needs it.
 *
 *   canonical request = METHOD \n canonical URI \n canonical query \n canonical headers \n
 *                       signed headers \n payload hash
 *   string to sign    = "AWS4-HMAC-SHA256" \n amz-date \n scope \n hex(sha256(canonical request))
 *   signing key       = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, yyyymmdd), region), service), "aws4_request")
 *   signature         = hex(HMAC(signing key, string to sign))
 *
 * Each step is exported so that the unit tests can check it on its own.
 */
import { createHmac } from 'node:crypto';
import { sha256Hex } from '../../configs/hash.js';

export { sha256Hex };

export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** `x-amz-content-sha256` value for a body the signature does not cover. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface SignInput {
  method: string;
  url: URL;
  /** Headers to send and sign (names in any case). `host`, `x-amz-date`, `x-amz-content-sha256` are added. */
  headers?: Record<string, string>;
  /** hex sha256 of the body, or UNSIGNED_PAYLOAD. */
  payloadHash: string;
  credentials: Credentials;
  region: string;
  service: string;
  date?: Date;
  /**
   * Encode each path segment twice (every service but S3). S3 signs the path as sent: once-encoded.
   */
  doubleEncodePath?: boolean;
}

export interface SignedRequest {
  /** The headers to send, lower-case names, including `authorization`. */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - _ . ~ (and `/` when `keepSlash`). */
export function uriEncode(s: string, keepSlash = false): string {
  let out = '';
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `20150830T123600Z` */
export function amzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The path of `url` (already percent-encoded as it will be sent), normalised for signing. */
export function canonicalUri(url: URL, doubleEncode = false): string {
  const segments = url.pathname.split('/').map((seg) => uriEncode(decodeURIComponent(seg)));
  const once = segments.join('/') || '/';
  return doubleEncode ? once.split('/').map((seg) => uriEncode(seg)).join('/') : once;
}

/** Query parameters sorted by encoded name then value, each name and value encoded. */
export function canonicalQuery(url: URL): string {
  const pairs: [string, string][] = [];
  for (const [k, v] of url.searchParams) pairs.push([uriEncode(k), uriEncode(v)]);
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Lower-case names, sorted; values trimmed with inner runs of spaces collapsed. */
export function canonicalHeaders(headers: Record<string, string>): { canonical: string; signed: string } {
  const entries = Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, ' ')] as const);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    canonical: entries.map(([k, v]) => `${k}:${v}\n`).join(''),
    signed: entries.map(([k]) => k).join(';'),
  };
}

export function canonicalRequest(method: string, uri: string, query: string, headers: Record<string, string>, payloadHash: string): string {
  const h = canonicalHeaders(headers);
  return [method.toUpperCase(), uri, query, h.canonical, h.signed, payloadHash].join('\n');
}

export function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/aws4_request`;
}

export function stringToSign(amzDateTime: string, scope: string, canonicalRequestText: string): string {
  return [ALGORITHM, amzDateTime, scope, sha256Hex(canonicalRequestText)].join('\n');
}

export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/** Signs a request: returns the headers to send (with `authorization`) and each intermediate. */
export function signRequest(input: SignInput): SignedRequest {
  const when = amzDate(input.date ?? new Date());
  const day = when.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.headers ?? {})) headers[k.toLowerCase()] = v;
  headers.host ??= input.url.host;
  headers['x-amz-date'] = when;
  // S3 requires it; other services accept it. Signed, so a body that does not match is refused.
  if (input.service === 's3') headers['x-amz-content-sha256'] = input.payloadHash;
  if (input.credentials.sessionToken) headers['x-amz-security-token'] = input.credentials.sessionToken;

  const creq = canonicalRequest(input.method, canonicalUri(input.url, input.doubleEncodePath ?? false), canonicalQuery(input.url), headers, input.payloadHash);
  const scope = credentialScope(day, input.region, input.service);
  const sts = stringToSign(when, scope, creq);
  const signature = createHmac('sha256', signingKey(input.credentials.secretAccessKey, day, input.region, input.service)).update(sts, 'utf8').digest('hex');
  const { signed } = canonicalHeaders(headers);
  headers.authorization = `${ALGORITHM} Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`;
  return { headers, canonicalRequest: creq, stringToSign: sts, signature };
}
