import { describe, expect, it } from 'vitest';
import { sniff } from '../../../api/sniff.js';
import { buildDocx, buildZip, minimalPdf, PNG } from './zip-builder.js';

const kind = (b: Buffer | string, name = ''): string => {
  const s = sniff(typeof b === 'string' ? Buffer.from(b) : b, name);
  return s.ok ? s.kind : 'rejected';
};

describe('sniff (magic bytes, not names)', () => {
  it('recognises PDF, also with bytes before the header', () => {
    expect(kind(minimalPdf())).toBe('pdf');
    expect(kind(Buffer.concat([Buffer.from('junk\n'), minimalPdf()]))).toBe('pdf');
  });

  it('recognises zip containers (docx and archives alike; zip-inspect tells them apart)', () => {
    expect(kind(buildDocx())).toBe('zip');
    expect(kind(buildZip([{ name: 'a.txt', data: 'x' }]))).toBe('zip');
    expect(kind(buildZip([]))).toBe('zip');
  });

  it('recognises HTML after BOM, whitespace, comments and an XML prolog', () => {
    expect(kind('<!DOCTYPE html><html><body>x</body></html>')).toBe('html');
    expect(kind('\uFEFF  \n<html lang="en">')).toBe('html');
    expect(kind('<!-- generated --><!doctype html>')).toBe('html');
    expect(kind('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">')).toBe('html');
  });

  it('text is text whatever the name says; .md only picks markdown', () => {
    expect(kind('# Title\n\nSome text', 'notes.md')).toBe('markdown');
    expect(kind('# Title\n\nSome text', 'notes.pdf')).toBe('text');
    expect(kind('纯文本，中文。')).toBe('text');
    expect(kind(Buffer.from([0xff, 0xfe, 0x41, 0x00]))).toBe('text');
    expect(kind(Buffer.from([0xc4, 0xe3, 0xba, 0xc3]))).toBe('text'); // GBK bytes: text, ingest decodes them
  });

  it('rejects images, executables, binary data and empty files, whatever their names', () => {
    expect(kind(PNG, 'report.pdf')).toBe('rejected');
    expect(kind(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), 'a.txt')).toBe('rejected');
    expect(kind(Buffer.from('MZ\x90\x00\x03'), 'a.docx')).toBe('rejected');
    expect(kind(Buffer.from([1, 2, 3, 0, 5, 6]), 'a.txt')).toBe('rejected');
    expect(kind(Buffer.alloc(0))).toBe('rejected');
    const s = sniff(PNG, 'x.pdf');
    expect(s.ok ? '' : s.detail).toMatch(/PNG/);
  });
});
