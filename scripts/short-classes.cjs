// Gives the classes of ours in the live bundles short names (`rp00`, `rp01`,
// …): in the style sheets a bundle carries as text and in its code alike, so
// the bundle styles and finds its elements as before. The live diagram is in
// every output, and a class's long name costs its bytes once per bundle:
// about 500 bytes of compressed code in all. The JupyterLab renderer keeps
// the long names (only webpack.live.config.js calls this).
//
// Classes are written whole (`"jp-Redpill-slotFrame"`, `.jp-Redpill-box` in
// a selector) or as a prefix and a value (`jp-Redpill-kind-${kind}`,
// `"jp-Redpill-field-c"+n`); both keep working. A class is renamed by its
// base: the longest prefix that the code writes before an interpolation or a
// `+`, else the whole name. The base gets a short name, the rest stays: so
// `.jp-Redpill-kind-int` in a style sheet and `jp-Redpill-kind-${"int"}` at
// run time agree. Bases are found in the whole of lib/ and style/; their
// numbers are kept from build to build (scripts/class-numbers.json), so a
// class has the same short name in every bundle and every version
// (`build/live/classes.json` lists them, for the tests).
//
// The classes in KEEP stay as they are: the diagram, its boxes, the one
// selected and the details, which a page's own style sheet or script may
// select.
const { readdirSync, readFileSync, statSync } = require('fs');
const path = require('path');

/** A class of ours: `jp-Redpill-`, then word characters and hyphens. */
const CLASS = /jp-Redpill-[\w-]+/g;

/** A class of ours written before an interpolation or a `+`. */
const PREFIX = /(jp-Redpill-[\w-]*)(?:\$\{|['"`]\s*\+)/g;

/** Classes that keep their names in the live page. */
const KEEP = new Set([
  'jp-Redpill-svg',
  'jp-Redpill-box',
  'jp-Redpill-selected',
  'jp-Redpill-details'
]);

/** The text of every compiled module (lib/) and style sheet (style/). */
function sources(root) {
  const out = [];
  const walk = dir => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) {
        walk(file);
      } else if (/\.(js|css)$/.test(name)) {
        out.push(readFileSync(file, 'utf8'));
      }
    }
  };
  walk(path.join(root, 'lib'));
  walk(path.join(root, 'style'));
  return out;
}

/** Where the numbers of the bases are kept, from `root`. */
const NUMBERS = path.join('scripts', 'class-numbers.json');

/** The numbers given so far (none where the file is absent). */
function readNumbers(root) {
  try {
    return JSON.parse(readFileSync(path.join(root, NUMBERS), 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') {
      return {};
    }
    throw error;
  }
}

/**
 * The renaming of the project at `root`: `rename(code)` gives every class of
 * ours in `code` its short name; `table` maps each class name found (and
 * each prefix) to what it becomes; `numbers` is NUMBERS with the bases that
 * had none (`added`) numbered (the build writes it back).
 */
function classNames(root) {
  const texts = sources(root);
  const prefixes = new Set();
  for (const text of texts) {
    for (const m of text.matchAll(PREFIX)) {
      prefixes.add(m[1]);
    }
  }
  // (JupyterLab's export buttons write `jp-Redpill-${action}`: no live bundle
  // holds them, and `rename` refuses a bundle that does.)
  prefixes.delete('jp-Redpill-');
  const longestFirst = [...prefixes].sort((a, b) => b.length - a.length);
  const base = token => longestFirst.find(p => token.startsWith(p)) ?? token;
  const tokens = new Set(prefixes);
  for (const text of texts) {
    for (const [token] of text.matchAll(CLASS)) {
      tokens.add(token);
    }
  }
  const bases = [...new Set([...tokens].map(base))]
    .filter(b => !KEEP.has(b))
    .sort();
  // `rp` and the base's number in two base-36 digits: the same length for
  // all, so a short name always reads back as one long name, whatever its
  // rest. Numbers are kept in NUMBERS from build to build, never given again
  // (a page may hold outputs of several versions, and each output's style
  // sheet applies to the whole page: a short name must mean one class in all
  // of them); a new base gets the next one.
  const numbers = readNumbers(root);
  const added = bases.filter(b => !(b in numbers));
  let next = Math.max(-1, ...Object.values(numbers)) + 1;
  for (const b of added) {
    numbers[b] = next++;
  }
  if (next > 36 * 36) {
    throw new Error('short-classes: more classes than two digits can number');
  }
  const short = new Map(
    bases.map(b => [b, `rp${numbers[b].toString(36).padStart(2, '0')}`])
  );
  const renameToken = token => {
    if (KEEP.has(token)) {
      return token;
    }
    const b = base(token);
    if (KEEP.has(b)) {
      return token;
    }
    if (!short.has(b)) {
      throw new Error(`short-classes: ${token} is in no module or style sheet`);
    }
    return short.get(b) + token.slice(b.length);
  };
  const table = Object.fromEntries(
    [...tokens].sort().map(t => [t, renameToken(t)])
  );
  return {
    table,
    numbers,
    added,
    rename(code) {
      if (/jp-Redpill-(?:\$\{|['"`]\s*\+)/.test(code)) {
        throw new Error(
          'short-classes: a class is written as `jp-Redpill-` and a value; it cannot be renamed'
        );
      }
      if (/(?<![\w-])rp[0-9a-z]{2}/.test(code)) {
        throw new Error(
          'short-classes: the bundle already holds a name like the short ones'
        );
      }
      return code.replace(CLASS, renameToken);
    }
  };
}

module.exports = { classNames, KEEP, NUMBERS };
