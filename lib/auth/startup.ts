import { authSecret } from './secret';
import { issueSetupToken, setupTokenFile } from './setupToken';

/** `serve` startup hook: make sure the auth secret exists, and print a setup token while there is no user. */
export default async function authStartup(log: (line: string) => void): Promise<void> {
  process.env.BETTER_AUTH_SECRET ??= authSecret(log);
  const token = await issueSetupToken();
  if (token) {
    log('no user exists yet: open /setup and enter this one-time setup token to create the first admin');
    log(`setup token: ${token}`);
    log(`(also in ${setupTokenFile()}; or create an admin with: torwatch user add --email E --role admin)`);
  }
}
