// Rewrites README.md's configuration table (between the env-table markers) from lib/env.ts: `npm run docs:env`.
import { readFileSync, writeFileSync } from 'node:fs';
import { envTable } from '../lib/env';
import { README_PATH, replaceEnvTable } from './envReadme';

writeFileSync(README_PATH, replaceEnvTable(readFileSync(README_PATH, 'utf8'), envTable()));
