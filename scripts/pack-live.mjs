#!/usr/bin/env node
/**
 * Packs the live diagram's drawing code for the kernel (the second half of
 * `npm run build:live`, after webpack): each bundle, `redpill/static/live.js`
 * and `build/live/live-<features>.js`, compressed as raw DEFLATE with zopfli (the page
 * unpacks it with DecompressionStream), then written in base 91 over an
 * alphabet that is safe inside an HTML comment, a script and a JSON string
 * (no `<`, `>`, `"` or backslash). Writes `redpill/static/live.pack`: one line
 * per bundle, `<name> <key> <base 91>` (`main` for live.js), where the key
 * names the bundle's build (so outputs carrying the same bundle unpack it
 * once per page) and ends with the packed length (`_<bytes>`).
 * redpill/live.py reads it and embeds in each output the one bundle its
 * payload needs; its BOOTSTRAP decodes it with the same alphabet
 * (`ALPHABET`, checked by the tests).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import zopfli from '@gfx/zopfli';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STATIC = join(ROOT, 'redpill', 'static');
const PACK = join(STATIC, 'live.pack');
/** Where the bundles other than live.js are built (not shipped unpacked). */
const BUNDLES = join(ROOT, 'build', 'live');

/**
 * The 91 digits: printable ASCII but for `"`, `\\`, `<` and `>` (so the text
 * can neither end an HTML comment nor start markup, and needs no escape in a
 * JSON or JavaScript string).
 */
export const ALPHABET = Array.from({ length: 95 }, (_, i) =>
  String.fromCharCode(0x20 + i)
)
  .filter(c => !'"\\<>'.includes(c))
  .join('');

if (ALPHABET.length !== 91) {
  throw new Error(`the alphabet has ${ALPHABET.length} digits, not 91`);
}

/**
 * Base 91, thirteen bits to two digits (low digit first), the bits taken
 * from each byte's lowest bit up; the last group is padded with zero bits.
 */
function base91(bytes) {
  let out = '';
  let bits = 0;
  let count = 0;
  for (const byte of bytes) {
    bits |= byte << count;
    count += 8;
    if (count >= 13) {
      const v = bits & 8191;
      out += ALPHABET[v % 91] + ALPHABET[Math.floor(v / 91)];
      bits >>>= 13;
      count -= 13;
    }
  }
  if (count > 0) {
    out += ALPHABET[bits % 91] + ALPHABET[Math.floor(bits / 91)];
  }
  return out;
}

// The bundles: `main` (live.js) and one per set of features (`live-<name>.js`).
const files = [
  ['main', join(STATIC, 'live.js')],
  ...readdirSync(BUNDLES)
    .filter(name => /^live-[a-z-]+\.js$/.test(name))
    .sort()
    .map(name => [name.slice(5, -3), join(BUNDLES, name)])
];
const lines = [];
for (const [name, file] of files) {
  const source = readFileSync(file);
  const packed = await zopfli.deflateAsync(source, { numiterations: 15 });
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
  // The key names the bundle's build and says how many bytes the digits hold.
  const key = `redpillLive_${hash}_${packed.length}`;
  lines.push(`${name} ${key} ${base91(packed)}`);
  console.log(
    `packed ${basename(file)}: ${source.length} bytes of drawing code into ${packed.length} ` +
      `(deflate), ${2 * Math.ceil((packed.length * 8) / 13)} characters`
  );
}
writeFileSync(PACK, lines.join('\n') + '\n');
