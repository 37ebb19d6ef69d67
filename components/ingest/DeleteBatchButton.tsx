'use client';

import { useState, useTransition } from 'react';
import { deleteBatchAction } from '@/app/(dashboard)/ingest/actions';

/** Admins: deletes a batch with its events and their hits, after a confirmation. */
export function DeleteBatchButton({ batchId, fileName }: { batchId: number; fileName: string }) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        disabled={pending}
        aria-label={`Delete batch ${batchId}`}
        className="rounded border border-red-300 px-2 py-0.5 text-xs text-red-700 hover:bg-red-50 disabled:opacity-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
        onClick={() => {
          if (!window.confirm(`Delete batch ${batchId} (${fileName}) with its events and the hits on them?`)) return;
          startTransition(async () => {
            const result = await deleteBatchAction(batchId);
            setMessage(result.ok ? null : result.message);
          });
        }}
      >
        {pending ? 'Deleting…' : 'Delete'}
      </button>
      {message ? (
        <span role="alert" className="text-xs text-red-700">
          {message}
        </span>
      ) : null}
    </span>
  );
}
