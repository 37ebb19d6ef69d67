import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The pages and route handler methods that exist on disk, as access-matrix keys (see tests/accessMatrix.ts).
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
  return keys.sort();
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
