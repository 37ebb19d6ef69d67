import 'server-only';
import { audit } from '@/lib/auth/audit';
import type { Actor } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { authoriseTriage } from '@/lib/auth/authorise';
import { TriageError } from './triageHits';

export const MAX_NOTE_LENGTH = 5000;

/** A note on a hit, with its author and time; audited. Returns the note's id. */
export async function addHitNote(actor: Actor, hitId: string, body: string): Promise<string> {
  authoriseTriage(actor, 'change');
  const text = body.trim();
  if (!text) throw new TriageError('note: write something');
  if (text.length > MAX_NOTE_LENGTH)
    throw new TriageError(`note: at most ${MAX_NOTE_LENGTH} characters (this one has ${text.length})`);
  if (!/^\d{1,19}$/.test(hitId)) throw new TriageError(`hit id "${hitId.slice(0, 40)}" is not a number`);
  const { rows } = await getPool().query<{ id: string }>(
    `INSERT INTO hit_note (hit_id, author_id, author, body)
     SELECT id, $2, $3, $4 FROM hit WHERE id = $1::bigint RETURNING id::text`,
    [hitId, actor.kind === 'user' ? actor.id : null, actor.label, text],
  );
  if (!rows.length) throw new TriageError(`hit ${hitId} does not exist`);
  await getPool().query('UPDATE hit SET updated_at = now() WHERE id = $1::bigint', [hitId]);
  await audit(actor, 'hit.note', `hit:${hitId}`, { noteId: rows[0].id, length: text.length });
  return rows[0].id;
}
