// Drops from the live bundles' style sheets (style/*.css, imported as text
// and minified by scripts/minify-css-loader.cjs) the selectors that name a
// class of ours no code in the bundle sets: each bundle carries the styles
// of its own features only (the steps' and the questions' rules are not in a
// bundle without them). Conservative: a class counts as set when the rest of
// the bundle holds its name, or a prefix of it followed by an interpolation
// (`jp-Redpill-field-c${…}` or `"jp-Redpill-field-c"+…`). A class not of
// ours (JupyterLab's `jp-Toolbar`) counts only beside one of ours on one
// element (`.jp-Redpill-toolbar.jp-Toolbar`), where only our code could have
// set it, and then by its whole name; selectors without classes are kept.
const { readFileSync } = require('fs');
const path = require('path');

const minifyCss = require('./minify-css-loader.cjs');

/** Our classes: the only ones a selector may be dropped for. */
const OURS = /^(jp-Redpill-|redpill-)/;
/** Prefixes too short to tell anything (every class of ours has them). */
const BARE = new Set(['jp-Redpill-', 'redpill-', 'jp-Redpill', 'redpill']);

/** The minified text of each style sheet, as the bundles embed it. */
function styleTexts(root) {
  return ['base', 'live', 'instructor'].map(name => ({
    name,
    text: minifyCss(
      readFileSync(path.join(root, 'style', `${name}.css`), 'utf8')
    )
  }));
}

/**
 * A test of whether the code `rest` sets the class `name`: one of ours by
 * name or by an interpolated prefix, another by its whole name.
 */
function classSetter(rest) {
  const seen = new Map();
  return name => {
    if (!OURS.test(name)) {
      if (!seen.has(name)) {
        // (class names hold only word characters and hyphens)
        seen.set(name, new RegExp(`(?<![\\w-])${name}(?![\\w-])`).test(rest));
      }
      return seen.get(name);
    }
    if (!seen.has(name)) {
      let set = rest.includes(name);
      for (let n = name.length - 1; !set && n > 0; n--) {
        const prefix = name.slice(0, n);
        set =
          !BARE.has(prefix) &&
          OURS.test(prefix) &&
          (rest.includes(`${prefix}\${`) ||
            rest.includes(`${prefix}"+`) ||
            rest.includes(`${prefix}'+`));
      }
      seen.set(name, set);
    }
    return seen.get(name);
  };
}

/**
 * `css` without the selectors (and then rules) whose classes are never set: a
 * selector goes when one of its compounds (`.a.b`, between combinators)
 * holds a class of ours and a class the code never sets (one of ours, or
 * another such as JupyterLab's `jp-Toolbar`, which only JupyterLab would put
 * on our elements); a compound without a class of ours (an ancestor of the
 * host, say) is kept.
 */
function shake(css, isSet) {
  const classes = compound =>
    [...compound.matchAll(/\.([A-Za-z_][\w-]*)/g)].map(m => m[1]);
  const keep = selector =>
    selector
      .split(/[\s>+~]+/)
      .map(classes)
      .every(names => !names.some(n => OURS.test(n)) || names.every(isSet));
  let out = '';
  let i = 0;
  while (i < css.length) {
    const open = css.indexOf('{', i);
    if (open < 0) {
      out += css.slice(i);
      break;
    }
    const head = css.slice(i, open);
    if (head.trimStart().startsWith('@')) {
      // An at-rule: shake the rules of its block (or keep its declarations).
      let depth = 1;
      let j = open + 1;
      for (; depth && j < css.length; j++) {
        depth += css[j] === '{' ? 1 : css[j] === '}' ? -1 : 0;
      }
      const inner = css.slice(open + 1, j - 1);
      const body = inner.includes('{') ? shake(inner, isSet) : inner;
      if (body) {
        out += `${head}{${body}}`;
      }
      i = j;
      continue;
    }
    const close = css.indexOf('}', open);
    const selectors = head.split(',').filter(keep);
    if (selectors.length) {
      out += selectors.join(',') + css.slice(open, close + 1);
    }
    i = close + 1;
  }
  return out;
}

/** Shakes the style sheets in one minified bundle; throws if base.css is not in it. */
function shakeBundle(code, root) {
  const sheets = styleTexts(root).filter(({ text }) => code.includes(text));
  if (!sheets.some(({ name }) => name === 'base')) {
    throw new Error(
      'shake-css: the bundle does not hold style/base.css as minified text'
    );
  }
  let rest = code;
  for (const { text } of sheets) {
    rest = rest.split(text).join('');
  }
  const isSet = classSetter(rest);
  let out = code;
  for (const { text } of sheets) {
    out = out.split(text).join(shake(text, isSet));
  }
  return out;
}

module.exports = { shake, shakeBundle };
