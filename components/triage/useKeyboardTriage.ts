'use client';

import { useEffect, type RefObject } from 'react';

// Keyboard triage over the hits table (rows carry data-hit-id) or the episodes table (data-episode-id): j/k move a
// cursor row, x toggles its checkbox, Enter opens its detail, s focuses the status menu (selecting the cursor row first
// when nothing is selected). Keys typed into form fields are left alone.
/** The rows to walk (a selector) and, within a row, the link Enter follows. */
export interface KeyboardTarget {
  rows: string;
  detail: string;
}

export function useKeyboardTriage(statusMenu: RefObject<HTMLSelectElement | null>, target: KeyboardTarget): void {
  const { rows: rowSelector, detail } = target;
  useEffect(() => {
    let cursor = -1;
    const rows = () => [...document.querySelectorAll<HTMLTableRowElement>(rowSelector)];
    const mark = (index: number) => {
      const all = rows();
      if (!all.length) return;
      cursor = Math.max(0, Math.min(all.length - 1, index));
      all.forEach((row, i) => {
        row.toggleAttribute('data-cursor', i === cursor);
        row.classList.toggle('outline', i === cursor);
        row.classList.toggle('outline-2', i === cursor);
        row.classList.toggle('outline-violet-500', i === cursor);
      });
      all[cursor].scrollIntoView({ block: 'nearest' });
    };
    const checkbox = (row: HTMLTableRowElement | undefined) =>
      row?.querySelector<HTMLInputElement>('input[type="checkbox"]');
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (
        event.ctrlKey ||
        event.metaKey ||
        event.altKey ||
        target.closest('input, textarea, select, [contenteditable="true"]')
      )
        return;
      const current = rows()[cursor];
      if (event.key === 'j') mark(cursor + 1);
      else if (event.key === 'k') mark(cursor - 1);
      else if (event.key === 'x' && current) checkbox(current)?.click();
      else if (event.key === 'Enter' && current) current.querySelector<HTMLAnchorElement>(detail)?.click();
      else if (event.key === 's') {
        const anySelected = rows().some((row) => checkbox(row)?.checked);
        if (!anySelected && current) checkbox(current)?.click();
        statusMenu.current?.focus();
      } else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [statusMenu, rowSelector, detail]);
}
