import { specServer } from './specServer';

/** Environment for running `torwatch …` against the running spec's server: its database and data directory. */
export function e2eCommandEnv(): NodeJS.ProcessEnv {
  const { databaseUrl, dataDir } = specServer();
  return { ...process.env, DATABASE_URL: databaseUrl, TORWATCH_DATA_DIR: dataDir };
}
