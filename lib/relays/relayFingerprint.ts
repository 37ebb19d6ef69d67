const HEX40 = /^[0-9A-Fa-f]{40}$/;

/**
 * A relay fingerprint as 40 upper-case hex digits, or null. Tor writes `$` before a fingerprint in some places
 * (descriptors, family lines); it is not part of the identity.
 */
export function parseFingerprint(text: string): string | null {
  const value = text.trim().replace(/^\$/, '');
  return HEX40.test(value) ? value.toUpperCase() : null;
}

/** A country code in storage form (lower-case alpha-2), `undefined` when the text is not one, null when absent. */
export function parseCountry(text: string | null | undefined): string | null | undefined {
  const value = (text ?? '').trim().toLowerCase();
  if (value === '') return null;
  return /^[a-z]{2}$/.test(value) ? value : undefined;
}
