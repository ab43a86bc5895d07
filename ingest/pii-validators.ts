/** Checksums behind the PII detectors (pure functions, each testable on its own). */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** Mainland resident ID (GB 11643-1999): 17 digits + ISO 7064 MOD 11-2 check (0-9 or X) and a real birth date. */
export function isValidChineseId(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (ID_WEIGHTS[i] as number);
  return ID_CHECK[sum % 11] === id[17]?.toUpperCase();
}

export function chineseIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] as number);
  return ID_CHECK[sum % 11] as string;
}

/** Luhn (mod 10) over a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let v = digits.charCodeAt(i) - 48;
    if (v < 0 || v > 9) return false;
    if (dbl) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

export function luhnCheckDigit(payload: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(payload + d)) return String(d);
  return '0';
}

/** Characters of a unified social credit code (GB 32100-2015): digits and capitals without I O S V Z. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckChar(first17: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i] as string);
    if (v < 0) return undefined;
    sum += v * (USCC_WEIGHTS[i] as number);
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** Check character of an organisation code (GB 11714-1997) from its first 8 characters (digits, A=10 … Z=35). */
export function orgCodeCheckChar(first8: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const v = parseInt(first8[i] as string, 36);
    if (Number.isNaN(v)) return undefined;
    sum += v * (ORG_WEIGHTS[i] as number);
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * Unified social credit code: 18 characters of the alphabet, 3rd–8th digits (region), the embedded
 * organisation code (9th–17th) with its own GB 11714 check character, and the GB 32100 check character.
 */
export function isValidUscc(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  if (orgCodeCheckChar(code.slice(8, 16)) !== code[16]) return false;
  return usccCheckChar(code.slice(0, 17)) === code[17];
}
