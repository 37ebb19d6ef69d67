import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENV, env, EnvError, envTable } from './env';
import { README_PATH, readEnvTable } from '../scripts/envReadme';

const ROOT = path.join(import.meta.dirname, '..');
const saved = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(ENV)) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

/** Every TORWATCH_* name the product's code mentions (tests and e2e specs set variables; they do not count). */
function variablesInCode(): string[] {
  const files = execFileSync(
    'git',
    [
      'ls-files',
      '--cached',
      '--others',
      '--exclude-standard',
      'lib',
      'app',
      'components',
      'bin',
      'scripts',
      'proxy.ts',
      'next.config.ts',
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter((f) => /\.(ts|tsx|mjs)$/.test(f) && !/\.(test|spec)\.tsx?$/.test(f) && !f.includes('__fixtures__'));
  const names = new Set<string>();
  for (const file of files) {
    const source = readFileSync(path.join(ROOT, file), 'utf8');
    for (const [, name] of source.matchAll(/process\.env(?:\.|\[['"`])(TORWATCH_[A-Z0-9_]+)/g)) names.add(name);
    for (const [, name] of source.matchAll(/\benv\(['"`](TORWATCH_[A-Z0-9_]+)/g)) names.add(name);
  }
  return [...names].sort();
}

describe('env', () => {
  it('declares every TORWATCH_* variable the code reads', () => {
    const undeclared = variablesInCode().filter((name) => !(name in ENV));
    expect(undeclared, 'declare these in lib/env.ts (then npm run docs:env)').toEqual([]);
  });

  it('is documented in README.md by the table generated from lib/env.ts', () => {
    const table = readEnvTable(readFileSync(README_PATH, 'utf8'));
    expect(table, 'README.md needs the env-table markers').not.toBeNull();
    expect(table, 'run npm run docs:env').toBe(envTable());
    for (const name of variablesInCode()) expect(table).toContain(`| \`${name}\` |`);
  });

  it('gives the default when a variable is unset or empty, and the parsed value when set', () => {
    delete process.env.TORWATCH_MATCH_GRACE_HOURS;
    expect(env('TORWATCH_MATCH_GRACE_HOURS')).toBe(24);
    process.env.TORWATCH_MATCH_GRACE_HOURS = '';
    expect(env('TORWATCH_MATCH_GRACE_HOURS')).toBe(24);
    process.env.TORWATCH_MATCH_GRACE_HOURS = '1.5';
    expect(env('TORWATCH_MATCH_GRACE_HOURS')).toBe(1.5);
    process.env.TORWATCH_OFFLINE = '1';
    expect(env('TORWATCH_OFFLINE')).toBe(true);
    delete process.env.TORWATCH_OFFLINE;
    expect(env('TORWATCH_OFFLINE')).toBe(false);
  });

  it('refuses a bad value with an error naming the variable and the value', () => {
    process.env.TORWATCH_MATCH_GRACE_HOURS = '1000';
    expect(() => env('TORWATCH_MATCH_GRACE_HOURS')).toThrow(EnvError);
    expect(() => env('TORWATCH_MATCH_GRACE_HOURS')).toThrow(
      'TORWATCH_MATCH_GRACE_HOURS must be a number of hours between 0 and 720, got "1000"',
    );
    process.env.TORWATCH_FEED_MAX_MB = 'lots';
    expect(() => env('TORWATCH_FEED_MAX_MB')).toThrow(
      /^TORWATCH_FEED_MAX_MB must be a positive number of MB, got "lots"$/,
    );
    process.env.TORWATCH_PUBLIC_URL = 'torwatch.example.org';
    expect(() => env('TORWATCH_PUBLIC_URL')).toThrow(/^TORWATCH_PUBLIC_URL must be a URL/);
    process.env.TORWATCH_WORKER = 'no';
    expect(() => env('TORWATCH_WORKER')).toThrow(/TORWATCH_WORKER must be on or off/);
  });
});
