import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The pages, route handler methods and server actions that exist on disk, as access-matrix keys (see
// tests/accessMatrix.ts).
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export function routeKeysOnDisk(root: string): string[] {
  const keys: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'page.tsx' || entry.name === 'page.ts') keys.push(`PAGE ${path.relative(root, full)}`);
      else if (entry.name === 'route.ts' || entry.name === 'route.tsx') {
        for (const method of exportedMethods(readFileSync(full, 'utf8')))
          keys.push(`${method} ${path.relative(root, full)}`);
      }
    }
  };
  walk(path.join(root, 'app'));
  keys.push(...serverActionKeysOnDisk(root));
  return keys.sort();
}

/** `ACTION <file>#<export>` for every export of a file that starts with 'use server' (under app/ and lib/). */
export function serverActionKeysOnDisk(root: string): string[] {
  const keys: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        const source = readFileSync(full, 'utf8');
        if (!/^\s*(?:\/\/[^\n]*\n\s*)*['"]use server['"]/.test(source)) continue;
        for (const name of exportedNames(source)) keys.push(`ACTION ${path.relative(root, full)}#${name}`);
      }
    }
  };
  for (const dir of ['app', 'lib']) walk(path.join(root, dir));
  return keys;
}

/** Value exports: `export const x`, `export async function x` (types and interfaces are not actions). */
export function exportedNames(source: string): string[] {
  return [...source.matchAll(/export\s+(?:const|let|async\s+function|function)\s+([A-Za-z_$][\w$]*)/g)].map(
    (m) => m[1],
  );
}

/** `export const GET`, `export async function GET`, `export { x as GET }`. */
export function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const method of METHODS) {
    if (new RegExp(`export\\s+(?:const|let|async\\s+function|function)\\s+${method}\\b`).test(source))
      found.add(method);
    for (const block of source.matchAll(/export\s*\{([^}]*)\}/g)) {
      if (
        block[1].split(',').some(
          (part) =>
            part
              .trim()
              .split(/\s+as\s+/)
              .pop() === method,
        )
      )
        found.add(method);
    }
  }
  return [...found];
}
