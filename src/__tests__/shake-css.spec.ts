/**
 * scripts/shake-css.cjs, which leaves in each live bundle the style rules of
 * its own features: a selector naming a class of ours that the bundle's code
 * never sets goes, and so does one naming beside ours on one element a class
 * not of ours that it never sets; one the code sets (by name, or by a prefix
 * followed by an interpolation), a class not of ours elsewhere and a rule
 * without classes stay.
 */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { shake, shakeBundle } = require('../../scripts/shake-css.cjs') as {
  shake(css: string, isSet: (name: string) => boolean): string;
  shakeBundle(code: string, root: string): string;
};
import { readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');

describe('shake-css', () => {
  const used = new Set(['jp-Redpill-box', 'jp-Redpill-name']);
  const isSet = (name: string) =>
    !name.startsWith('jp-Redpill-') || used.has(name);

  it('drops the selectors of classes never set, rule by rule', () => {
    expect(
      shake(
        '.jp-Redpill-box{a:1}.jp-Redpill-steps{b:2}' +
          '.jp-Redpill-name,.jp-Redpill-quiz button{c:3}' +
          '.jp-Toolbar .jp-Redpill-box{d:4}svg text{e:5}' +
          '@media (prefers-color-scheme:dark){.jp-Redpill-steps{f:6}.jp-Redpill-box{g:7}}' +
          '@media print{.jp-Redpill-quiz{h:8}}',
        isSet
      )
    ).toBe(
      '.jp-Redpill-box{a:1}.jp-Redpill-name{c:3}' +
        '.jp-Toolbar .jp-Redpill-box{d:4}svg text{e:5}' +
        '@media (prefers-color-scheme:dark){.jp-Redpill-box{g:7}}'
    );
  });

  it('keeps the classes a bundle sets by name or by an interpolated prefix', () => {
    const base = readFileSync(join(ROOT, 'style', 'base.css'), 'utf8');
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const minify = require('../../scripts/minify-css-loader.cjs') as (
      css: string
    ) => string;
    const css = minify(base);
    const code = (sets: string) => `var s=${JSON.stringify(css)};${sets}`;
    const none = shakeBundle(code(''), ROOT);
    const some = shakeBundle(
      code('e.className="jp-Redpill-box";f.add(`jp-Redpill-field-c${i%8}`)'),
      ROOT
    );
    expect(none).not.toContain('.jp-Redpill-box{');
    expect(none).not.toContain('.jp-Redpill-field-c0');
    expect(some).toContain('.jp-Redpill-box');
    expect(some).toContain('.jp-Redpill-field-c0');
    expect(some).toContain('.jp-Redpill-field-c7');
    expect(some.length).toBeLessThan(code('').length);
  });

  it("drops a class of JupyterLab's beside ours that the bundle never sets", () => {
    const base = readFileSync(join(ROOT, 'style', 'base.css'), 'utf8');
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const minify = require('../../scripts/minify-css-loader.cjs') as (
      css: string
    ) => string;
    const css = minify(base);
    expect(css).toContain('.jp-Redpill-toolbar.jp-Toolbar{');
    const code = (sets: string) =>
      `var s=${JSON.stringify(css)};e.className="jp-Redpill-toolbar jp-ToolbarButtonComponent";${sets}`;
    const plain = shakeBundle(code(''), ROOT);
    expect(plain).not.toContain('.jp-Redpill-toolbar.jp-Toolbar{');
    // a class of JupyterLab's on an element of its own (an ancestor) stays
    expect(plain).toContain(
      '.jp-Redpill-toolbar button.jp-ToolbarButtonComponent'
    );
    const lab = shakeBundle(code('t.className="jp-Toolbar"'), ROOT);
    expect(lab).toContain('.jp-Redpill-toolbar.jp-Toolbar{');
  });

  it('refuses a bundle without the renderer styles', () => {
    expect(() => shakeBundle('var s="";', ROOT)).toThrow(/base\.css/);
  });
});
