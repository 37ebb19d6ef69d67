'use client';

import { useRef } from 'react';

// "PNG" and "CSV" on every chart card (issue 17): managers paste charts into slides. The PNG is the card's own SVG
// drawn on a canvas at twice its size (white background); the CSV is the chart's data as given by the page.

function download(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function svgToPng(svg: SVGSVGElement): Promise<Blob> {
  const box = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(box.width || Number(svg.getAttribute('width')) || 640));
  const height = Math.max(1, Math.round(box.height || Number(svg.getAttribute('height')) || 260));
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  // Recharts draws with currentColor: fix it to the text colour the card has on screen.
  clone.setAttribute('color', getComputedStyle(svg).color || '#0f172a');
  const source = new XMLSerializer().serializeToString(clone);
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(source)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width * 2;
  canvas.height = height * 2;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.scale(2, 2);
  context.drawImage(image, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}

export function ChartExportButtons({ name, csv }: { name: string; csv: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const button =
    'rounded border border-slate-300 px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-300 dark:hover:bg-slate-800 print:hidden';
  const png = async () => {
    const card = ref.current?.closest('[data-chart-card]');
    // The chart is the card's largest SVG: recharts draws its legend icons as small SVGs too, some before the chart.
    const area = (e: SVGSVGElement) => e.getBoundingClientRect().width * e.getBoundingClientRect().height;
    const svg = [...(card?.querySelectorAll<SVGSVGElement>('svg') ?? [])].sort((a, b) => area(b) - area(a))[0];
    if (svg) download(`${name}.png`, await svgToPng(svg));
  };
  return (
    <div ref={ref} className="flex gap-1">
      <button type="button" className={button} onClick={png} aria-label={`Download ${name} as PNG`}>
        PNG
      </button>
      <button
        type="button"
        className={button}
        onClick={() => download(`${name}.csv`, new Blob([csv], { type: 'text/csv;charset=utf-8' }))}
        aria-label={`Download ${name} data as CSV`}
      >
        CSV
      </button>
    </div>
  );
}
