/** See cliBundle.mjs: the precompiled bundle of lib/cli that bin/torwatch.mjs runs. */
export const ROOT: string;
export const CACHE: string;
/** The URL of the bundle's entry when it matches the sources, else null. */
export function currentBundle(cache?: string): string | null;
/** Builds the bundle into `cache` and returns its entry's URL. */
export function buildBundle(cache?: string): Promise<string>;
