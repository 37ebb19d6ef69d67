import { PageHeader } from '@/components/layout/PageHeader';
import { listApiTokens } from '@/lib/auth/apiTokens';
import { requirePageRole } from '@/lib/auth/guard';
import { revokeToken } from './actions';
import { CreateTokenForm } from './CreateTokenForm';
import { formatUtc } from '@/lib/time/formatUtc';

export const metadata = { title: 'API tokens' };

const when = (date: Date | null) => formatUtc(date, { seconds: false });

export default async function TokensPage() {
  await requirePageRole('admin');
  const tokens = await listApiTokens();
  const now = new Date();
  return (
    <>
      <PageHeader
        title="API tokens"
        description="ingest: POST /api/v1/ingest only · read: GET /api/v1/hits and other read APIs. Stored hashed; shown once."
      />
      <CreateTokenForm />
      <table className="mt-6 w-full border-collapse text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500 dark:border-slate-800">
          <tr>
            <th className="py-2 pr-4">Name</th>
            <th className="py-2 pr-4">Scope</th>
            <th className="py-2 pr-4">Token</th>
            <th className="py-2 pr-4">Created</th>
            <th className="py-2 pr-4">Expires</th>
            <th className="py-2 pr-4">Last used</th>
            <th className="py-2 pr-4">State</th>
            <th className="py-2" />
          </tr>
        </thead>
        <tbody>
          {tokens.length === 0 ? (
            <tr>
              <td colSpan={8} className="py-6 text-center text-slate-500">
                No tokens yet.
              </td>
            </tr>
          ) : null}
          {tokens.map((token) => {
            const state = token.revokedAt
              ? 'revoked'
              : token.expiresAt && token.expiresAt <= now
                ? 'expired'
                : 'active';
            return (
              <tr key={token.id} className="border-b border-slate-100 dark:border-slate-800">
                <td className="py-2 pr-4 font-medium">{token.name}</td>
                <td className="py-2 pr-4">{token.scope}</td>
                <td className="py-2 pr-4 font-mono text-xs">{token.prefix}…</td>
                <td className="py-2 pr-4 whitespace-nowrap">
                  {when(token.createdAt)}
                  {token.createdBy ? <span className="block text-xs text-slate-500">{token.createdBy}</span> : null}
                </td>
                <td className="py-2 pr-4 whitespace-nowrap">{when(token.expiresAt)}</td>
                <td className="py-2 pr-4 whitespace-nowrap">{token.lastUsedAt ? when(token.lastUsedAt) : 'never'}</td>
                <td
                  className={`py-2 pr-4 ${state === 'active' ? 'text-emerald-700 dark:text-emerald-400' : 'text-slate-500'}`}
                >
                  {state}
                </td>
                <td className="py-2">
                  {state === 'active' ? (
                    <form action={revokeToken}>
                      <input type="hidden" name="id" value={token.id} />
                      <input type="hidden" name="name" value={token.name} />
                      <button
                        className="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium text-red-700 hover:bg-slate-100 dark:border-slate-700 dark:text-red-400 dark:hover:bg-slate-800"
                        aria-label={`Revoke ${token.name}`}
                      >
                        Revoke
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
