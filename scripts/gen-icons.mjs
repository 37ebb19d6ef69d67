// Draws TorWatch's mark — an onion's layers as radar rings, a sweep, a contact — and writes it as public/icons/icon.svg
// and rasterised as the PNGs and the public/favicon.ico that browsers ask for on every page load. One geometry, so the
// SVG and the bitmaps agree; no image library (4×4 supersampling, PNG and ICO written by hand).
//   node scripts/gen-icons.mjs          (rerun after changing the mark; the outputs are committed)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const ROOT = path.resolve(import.meta.dirname, '..');
const UNITS = 64; // the mark is drawn on a 64×64 grid
const BG = [15, 23, 42]; // slate-900
const RING = [167, 139, 250]; // violet-400
const SWEEP = [52, 211, 153]; // emerald-400
const CENTER = 32;
const RINGS = [
  { r: 24, w: 3.5 },
  { r: 16, w: 3.5 },
];
const DOT = { r: 5 };
const SWEEP_LINE = { to: [CENTER + 20, CENTER - 20], w: 3.5 };
const CONTACT = { at: [45, 45], r: 3.5 }; // a blip on the inner ring

function svg() {
  const [sx, sy] = SWEEP_LINE.to;
  const hex = (c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${UNITS} ${UNITS}">
  <rect width="64" height="64" rx="14" fill="${hex(BG)}"/>
${RINGS.map((ring) => `  <circle cx="${CENTER}" cy="${CENTER}" r="${ring.r}" fill="none" stroke="${hex(RING)}" stroke-width="${ring.w}"/>`).join('\n')}
  <circle cx="${CENTER}" cy="${CENTER}" r="${DOT.r}" fill="${hex(RING)}"/>
  <line x1="${CENTER}" y1="${CENTER}" x2="${sx}" y2="${sy}" stroke="${hex(SWEEP)}" stroke-width="${SWEEP_LINE.w}" stroke-linecap="round"/>
  <circle cx="${CONTACT.at[0]}" cy="${CONTACT.at[1]}" r="${CONTACT.r}" fill="${hex(SWEEP)}"/>
</svg>
`;
}

/** Colour and coverage of one point of the 64-unit grid: the shapes painted in order, last on top. */
function paint(x, y) {
  const inRoundedSquare = (() => {
    const r = 14;
    const cx = Math.min(Math.max(x, r), UNITS - r);
    const cy = Math.min(Math.max(y, r), UNITS - r);
    return x >= 0 && y >= 0 && x <= UNITS && y <= UNITS && Math.hypot(x - cx, y - cy) <= r;
  })();
  if (!inRoundedSquare) return null;
  let color = BG;
  const d = Math.hypot(x - CENTER, y - CENTER);
  if (RINGS.some((ring) => Math.abs(d - ring.r) <= ring.w / 2) || d <= DOT.r) color = RING;
  const [sx, sy] = SWEEP_LINE.to;
  const t = Math.max(
    0,
    Math.min(
      1,
      ((x - CENTER) * (sx - CENTER) + (y - CENTER) * (sy - CENTER)) / ((sx - CENTER) ** 2 + (sy - CENTER) ** 2),
    ),
  );
  if (Math.hypot(x - (CENTER + t * (sx - CENTER)), y - (CENTER + t * (sy - CENTER))) <= SWEEP_LINE.w / 2) color = SWEEP;
  if (Math.hypot(x - CONTACT.at[0], y - CONTACT.at[1]) <= CONTACT.r) color = SWEEP;
  return color;
}

function rgba(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++)
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0];
      let covered = 0;
      for (let sy = 0; sy < n; sy++)
        for (let sx = 0; sx < n; sx++) {
          const c = paint(((px + (sx + 0.5) / n) * UNITS) / size, ((py + (sy + 0.5) / n) * UNITS) / size);
          if (!c) continue;
          covered++;
          c.forEach((v, i) => (sum[i] += v));
        }
      const o = (py * size + px) * 4;
      if (covered) sum.forEach((v, i) => (pixels[o + i] = Math.round(v / covered)));
      pixels[o + 3] = Math.round((covered / (n * n)) * 255);
    }
  return pixels;
}

function png(size) {
  const pixels = rgba(size);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO holding PNG images (every browser since 2008 reads those). */
function ico(sizes) {
  const images = sizes.map(png);
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach((image, i) => {
    const entry = 6 + 16 * i;
    header[entry] = sizes[i] % 256;
    header[entry + 1] = sizes[i] % 256;
    header.writeUInt16LE(1, entry + 4); // planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(image.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += image.length;
  });
  return Buffer.concat([header, ...images]);
}

mkdirSync(path.join(ROOT, 'public/icons'), { recursive: true });
writeFileSync(path.join(ROOT, 'public/icons/icon.svg'), svg());
writeFileSync(path.join(ROOT, 'public/favicon.ico'), ico([16, 32, 48]));
for (const [name, size] of [
  ['icon-192.png', 192],
  ['icon-512.png', 512],
  ['apple-touch-icon.png', 180],
])
  writeFileSync(path.join(ROOT, 'public/icons', name), png(size));
console.log('wrote public/favicon.ico and public/icons/{icon.svg,icon-192.png,icon-512.png,apple-touch-icon.png}');
