import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCESS_MATRIX, entryKey } from './accessMatrix';
import { exportedMethods, routeKeysOnDisk } from './accessMatrixFiles';

// Completeness: every page and route handler method on disk has an access-matrix entry (and no entry is stale).
// e2e/accessMatrix.spec.ts checks the answers against a running server.
const root = path.resolve(import.meta.dirname, '..');

describe('access matrix', () => {
  it('has an entry for every page and route handler method on disk', () => {
    const listed = new Set(ACCESS_MATRIX.map(entryKey));
    const missing = routeKeysOnDisk(root).filter((key) => !listed.has(key));
    expect(missing, 'add these to tests/accessMatrix.ts').toEqual([]);
  });

  it('has no entry for a file or method that does not exist', () => {
    const onDisk = new Set(routeKeysOnDisk(root));
    expect(ACCESS_MATRIX.map(entryKey).filter((key) => !onDisk.has(key))).toEqual([]);
  });

  it('finds every way of exporting a handler', () => {
    expect(
      exportedMethods(
        'export const GET = apiRoute({}, h);\nexport async function POST() {}\nexport { handle as PUT, other as DELETE };\nconst PATCH = 1;',
      ).sort(),
    ).toEqual(['DELETE', 'GET', 'POST', 'PUT']);
  });
});
