/**
 * scripts/short-classes.cjs, which gives our classes short names in the live
 * bundles: a class written whole and the same class in a style sheet get one
 * name; a class made of a prefix and a value at run time matches its rule;
 * every class gets the same name in every bundle and no two classes one name,
 * and keeps it in later versions;
 * the diagram's own hooks keep their names; a bundle it cannot rename safely
 * is refused.
 */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { classNames, KEEP } = require('../../scripts/short-classes.cjs') as {
  classNames(root: string): {
    table: Record<string, string>;
    numbers: Record<string, number>;
    added: string[];
    rename(code: string): string;
  };
  KEEP: Set<string>;
};
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');

/** A project with these compiled modules and style sheets. */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'short-classes-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

describe('short-classes', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach(r => rmSync(r, { recursive: true })));
  const names = (files: Record<string, string>) => {
    const root = project(files);
    roots.push(root);
    return classNames(root);
  };

  it('renames a class in the code and in the style sheets alike', () => {
    const { rename } = names({
      'lib/a.js': 'el("span", "jp-Redpill-hexByte jp-Redpill-box")',
      'style/base.css': '.jp-Redpill-hexByte{a:1}.jp-Redpill-box{b:2}'
    });
    const code = rename(
      'el("span","jp-Redpill-hexByte jp-Redpill-box");' +
        'css=".jp-Redpill-hexByte{a:1}.jp-Redpill-box{b:2}"'
    );
    const short = /"(rp[0-9a-z]{2}) jp-Redpill-box"/.exec(code)?.[1];
    expect(short).toBeDefined();
    expect(code).toContain(`.${short}{a:1}.jp-Redpill-box{b:2}`);
    expect(code).not.toContain('hexByte');
  });

  it('keeps a prefix and its values together', () => {
    const { rename } = names({
      'lib/a.js':
        'cls = `jp-Redpill-kind-${kind}`; row = "jp-Redpill-field-c" + n % 8;',
      'style/base.css':
        '.jp-Redpill-kind-int{a:1}.jp-Redpill-field-c3{b:2}.jp-Redpill-kindLabel{c:3}'
    });
    const code = rename(
      'k=`jp-Redpill-kind-${kind}`;f="jp-Redpill-field-c"+n%8;' +
        's=".jp-Redpill-kind-int{a:1}.jp-Redpill-field-c3{b:2}.jp-Redpill-kindLabel{c:3}"'
    );
    const kind = /k=`(rp[0-9a-z]{2})\$\{kind\}`/.exec(code)?.[1];
    const field = /f="(rp[0-9a-z]{2})"\+n%8/.exec(code)?.[1];
    expect(kind).toBeDefined();
    expect(field).toBeDefined();
    // what the code makes at run time is what the rules select
    expect(code).toContain(`.${kind}int{a:1}`);
    expect(code).toContain(`.${field}3{b:2}`);
    expect(code).not.toContain(`.${kind}Label`);
  });

  it('keeps the numbers of earlier builds: a short name means one class in every version', () => {
    const style = { 'style/base.css': '.jp-Redpill-box{a:1}' };
    const first = names({ ...style, 'lib/a.js': '"jp-Redpill-hexByte"' });
    expect(first.added).toEqual(['jp-Redpill-hexByte']);
    // a later version: `arrow` is new (and sorts first), `hexByte` is kept
    const later = names({
      ...style,
      'lib/a.js': '"jp-Redpill-hexByte jp-Redpill-arrow"',
      'scripts/class-numbers.json': JSON.stringify(first.numbers)
    });
    expect(later.added).toEqual(['jp-Redpill-arrow']);
    expect(later.table['jp-Redpill-hexByte']).toBe(
      first.table['jp-Redpill-hexByte']
    );
    expect(later.table['jp-Redpill-arrow']).not.toBe(
      first.table['jp-Redpill-hexByte']
    );
    // a number given once is not given again, even once its class is gone
    const after = names({
      ...style,
      'lib/a.js': '"jp-Redpill-arrow jp-Redpill-hexRow"',
      'scripts/class-numbers.json': JSON.stringify(later.numbers)
    });
    expect(Object.values(after.numbers).sort()).toEqual([0, 1, 2]);
    expect(after.table['jp-Redpill-hexRow']).not.toBe(
      first.table['jp-Redpill-hexByte']
    );
  });

  it('refuses a bundle it cannot rename safely', () => {
    const { rename } = names({
      'lib/a.js': '"jp-Redpill-box"',
      'style/base.css': '.jp-Redpill-box{a:1}'
    });
    expect(() => rename('c=`jp-Redpill-${name}`')).toThrow(
      /written as `jp-Redpill-` and a value/
    );
    expect(() => rename('c="rp0a"')).toThrow(/like the short ones/);
  });

  it('gives every class of the project one name of its own, the same in every bundle', () => {
    const { table, rename, added } = classNames(ROOT);
    // scripts/class-numbers.json numbers them all (a new class's number is committed)
    expect(added).toEqual([]);
    const classes = Object.keys(table).filter(name => !name.endsWith('-'));
    expect(classes).toEqual(
      expect.arrayContaining([
        'jp-Redpill-stepLabel',
        'jp-Redpill-stackFrame-current',
        'jp-Redpill-name-missing'
      ])
    );
    const given = classes.map(name => table[name]);
    expect(new Set(given).size).toBe(given.length);
    for (const name of KEEP) {
      expect(table[name]).toBe(name);
    }
    expect(table['jp-Redpill-stepLabel']).toMatch(/^rp[0-9a-z]{2}/);
    // the build's list is this table (the live pages' tests read it)
    expect(rename('"jp-Redpill-stepLabel"')).toBe(
      `"${table['jp-Redpill-stepLabel']}"`
    );
  });
});
