/**
 * The SigV4 signer against the worked examples in AWS's SigV4 documentation. Each step is rebuilt
 * here by hand from the specification (canonical request text, its hash, the string to sign, the
 * HMAC chain for the signing key) and compared with the signer's, and with the values AWS publishes
 * for those examples (the constants below).
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_SHA256,
  UNSIGNED_PAYLOAD,
  amzDate,
  canonicalHeaders,
  canonicalQuery,
  canonicalUri,
  sha256Hex,
  signRequest,
  signingKey,
  uriEncode,
} from '../../../registry/internal/sigv4.js';

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const hex = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

describe('SigV4 building blocks', () => {
  it('the empty payload hash is sha256("")', () => {
    expect(EMPTY_SHA256).toBe(hex(''));
  });

  it('amz date is basic ISO 8601 in UTC without milliseconds', () => {
    expect(amzDate(new Date('2015-08-30T12:36:00.123Z'))).toBe('20150830T123600Z');
  });

  it('URI encoding keeps only unreserved characters (and / in paths), upper-case hex, UTF-8 bytes', () => {
    expect(uriEncode('a-z_A.Z~09')).toBe('a-z_A.Z~09');
    expect(uriEncode('a b+c/d')).toBe('a%20b%2Bc%2Fd');
    expect(uriEncode('a b/c', true)).toBe('a%20b/c');
    expect(uriEncode('é*')).toBe('%C3%A9%2A');
  });

  it('canonical URI: S3 signs the path once-encoded; other services encode it twice', () => {
    const u = new URL('https://h/bucket/my%20key$');
    expect(canonicalUri(u)).toBe('/bucket/my%20key%24');
    expect(canonicalUri(u, true)).toBe('/bucket/my%2520key%2524');
    expect(canonicalUri(new URL('https://h'))).toBe('/');
  });

  it('canonical query: names and values encoded, sorted by name then value, empty values kept', () => {
    expect(canonicalQuery(new URL('https://h/?b=2&a=z&a=y&list-type=2&prefix=k%2F&uploads'))).toBe('a=y&a=z&b=2&list-type=2&prefix=k%2F&uploads=');
    expect(canonicalQuery(new URL('https://h/'))).toBe('');
  });

  it('canonical headers: lower-case, sorted, values trimmed and inner spaces collapsed', () => {
    expect(canonicalHeaders({ 'X-Amz-Date': ' 1 ', Host: 'h', 'My-Header': 'a   b  c' })).toEqual({
      canonical: 'host:h\nmy-header:a b c\nx-amz-date:1\n',
      signed: 'host;my-header;x-amz-date',
    });
  });
});

describe('SigV4 against the published examples', () => {
  it('signing key: secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215/us-east-1/iam', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
    // By hand: kDate = HMAC("AWS4"+secret, date), then region, service, "aws4_request".
    const kDate = hmac(`AWS4${secret}`, '20120215');
    const kRegion = hmac(kDate, 'us-east-1');
    const kService = hmac(kRegion, 'iam');
    const kSigning = hmac(kService, 'aws4_request');
    expect(signingKey(secret, '20120215', 'us-east-1', 'iam').equals(kSigning)).toBe(true);
    // The value AWS publishes for this example.
    expect(kSigning.toString('hex')).toBe('f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
  });

  it('IAM ListUsers GET (query string, content-type header, double-encoded path)', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
    const signed = signRequest({
      method: 'GET',
      url: new URL('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      payloadHash: EMPTY_SHA256,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secret },
      region: 'us-east-1',
      service: 'iam',
      date: new Date('2015-08-30T12:36:00Z'),
      doubleEncodePath: true,
    });
    const creq = [
      'GET',
      '/',
      'Action=ListUsers&Version=2010-05-08',
      'content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n',
      'content-type;host;x-amz-date',
      EMPTY_SHA256,
    ].join('\n');
    expect(signed.canonicalRequest).toBe(creq);
    expect(hex(creq)).toBe('f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59');
    const sts = `AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n${hex(creq)}`;
    expect(signed.stringToSign).toBe(sts);
    const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, '20150830'), 'us-east-1'), 'iam'), 'aws4_request');
    const signature = createHmac('sha256', key).update(sts).digest('hex');
    expect(signed.signature).toBe(signature);
    expect(signature).toBe('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
    expect(signed.headers.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${signature}`,
    );
    expect(signed.headers['x-amz-content-sha256']).toBeUndefined();
  });

  // The S3 examples: bucket "examplebucket", 2013-05-24, access key AKIAIOSFODNN7EXAMPLE.
  const s3Creds = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  const s3Key = () => hmac(hmac(hmac(hmac(`AWS4${s3Creds.secretAccessKey}`, '20130524'), 'us-east-1'), 's3'), 'aws4_request');
  const signS3Example = (o: Pick<Parameters<typeof signRequest>[0], 'method' | 'url' | 'headers' | 'payloadHash'>) =>
    signRequest({ ...o, credentials: s3Creds, region: 'us-east-1', service: 's3', date: new Date('2013-05-24T00:00:00Z') });
  /** The example's published canonical request, its hash and the signature, against what signRequest made. */
  function expectS3Example(signed: ReturnType<typeof signRequest>, creq: string, creqHash: string, signatureHex: string): void {
    expect(signed.canonicalRequest).toBe(creq);
    expect(hex(creq)).toBe(creqHash);
    expect(signed.stringToSign).toBe(`AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n${creqHash}`);
    const signature = createHmac('sha256', s3Key()).update(signed.stringToSign).digest('hex');
    expect(signed.signature).toBe(signature);
    expect(signature).toBe(signatureHex);
  }

  it('S3 GET object with a Range header (empty payload)', () => {
    const signed = signS3Example({ method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'), headers: { Range: 'bytes=0-9' }, payloadHash: EMPTY_SHA256 });
    const creq = [
      'GET',
      '/test.txt',
      '',
      `host:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:${EMPTY_SHA256}\nx-amz-date:20130524T000000Z\n`,
      'host;range;x-amz-content-sha256;x-amz-date',
      EMPTY_SHA256,
    ].join('\n');
    expectS3Example(signed, creq, '7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972', 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
    expect(signed.headers['x-amz-content-sha256']).toBe(EMPTY_SHA256);
  });

  it('S3 PUT object: signed payload hash, a Date header, a reserved character in the key', () => {
    const body = 'Welcome to Amazon S3.';
    const payloadHash = sha256Hex(body);
    expect(payloadHash).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const signed = signS3Example({
      method: 'PUT', url: new URL('https://examplebucket.s3.amazonaws.com/test%24file.text'), payloadHash,
      headers: { Date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
    });
    const creq = [
      'PUT',
      '/test%24file.text',
      '',
      `date:Fri, 24 May 2013 00:00:00 GMT\nhost:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:${payloadHash}\nx-amz-date:20130524T000000Z\nx-amz-storage-class:REDUCED_REDUNDANCY\n`,
      'date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class',
      payloadHash,
    ].join('\n');
    expectS3Example(signed, creq, '9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d', '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
  });

  it('UNSIGNED-PAYLOAD and a session token are signed as headers', () => {
    const signed = signRequest({
      method: 'HEAD',
      url: new URL('http://127.0.0.1:9000/bucket/k'),
      payloadHash: UNSIGNED_PAYLOAD,
      credentials: { ...s3Creds, sessionToken: 'tok' },
      region: 'eu-west-1',
      service: 's3',
      date: new Date('2013-05-24T00:00:00Z'),
    });
    expect(signed.canonicalRequest.split('\n').slice(-2)).toEqual(['host;x-amz-content-sha256;x-amz-date;x-amz-security-token', 'UNSIGNED-PAYLOAD']);
    expect(signed.canonicalRequest).toContain('host:127.0.0.1:9000\n');
    expect(signed.headers['x-amz-security-token']).toBe('tok');
    expect(signed.headers.authorization).toContain('Credential=AKIAIOSFODNN7EXAMPLE/20130524/eu-west-1/s3/aws4_request');
  });
});
