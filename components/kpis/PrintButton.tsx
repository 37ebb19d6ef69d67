'use client';

/** Opens the browser's print dialog ("Save as PDF" gives the one-page report). */
export function PrintButton() {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="rounded-md bg-violet-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-violet-800"
    >
      Print / Save as PDF
    </button>
  );
}
