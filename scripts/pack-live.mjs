#!/usr/bin/env node
/**
 * Packs the live diagram's drawing code for the kernel (the second half of
 * `npm run build:live`, after webpack): `redpill/static/live.js` compressed
 * as raw DEFLATE with zopfli (the page unpacks it with DecompressionStream),
 * then written in base 85 over an alphabet that is safe inside an HTML
 * comment, a script and a JSON string (no `-`, `<`, `>`, `&`, quotes,
 * backslash or `?`). Writes `redpill/static/live.pack`: one line,
 * `<key> <base 85>`, where the key names this build (so outputs of the same
 * build unpack it once per page). redpill/live.py reads it; its BOOTSTRAP
 * decodes it with the same alphabet (`ALPHABET`, checked by the tests).
 *
 * Usage:  node scripts/pack-live.mjs
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import zopfli from '@gfx/zopfli';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = join(ROOT, 'redpill', 'static', 'live.js');
const PACK = join(ROOT, 'redpill', 'static', 'live.pack');

/** The 85 digits: printable ASCII but for the nine characters above and the backtick. */
export const ALPHABET = Array.from({ length: 94 }, (_, i) =>
  String.fromCharCode(0x21 + i)
)
  .filter(c => !'"&\'-<>?\\`'.includes(c))
  .join('');

if (ALPHABET.length !== 85) {
  throw new Error(`the alphabet has ${ALPHABET.length} digits, not 85`);
}

/** Base 85, four bytes to five digits; a last group of n bytes gives n + 1 digits. */
function base85(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const n = Math.min(4, bytes.length - i);
    let value = 0;
    for (let j = 0; j < 4; j++) {
      value = value * 256 + (j < n ? bytes[i + j] : 0);
    }
    const digits = [];
    for (let j = 0; j < 5; j++) {
      digits.unshift(ALPHABET[value % 85]);
      value = Math.floor(value / 85);
    }
    out += digits.slice(0, n + 1).join('');
  }
  return out;
}

const source = readFileSync(SOURCE);
const packed = await zopfli.deflateAsync(source, { numiterations: 15 });
const key = `redpillLive_${createHash('sha256').update(source).digest('hex').slice(0, 16)}`;
writeFileSync(PACK, `${key} ${base85(packed)}\n`);
console.log(
  `packed ${source.length} bytes of drawing code into ${packed.length} (deflate), ` +
    `${Math.ceil((packed.length * 5) / 4)} characters`
);
