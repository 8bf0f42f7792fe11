/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON, mutated into invalid shapes on purpose */
/**
 * Every user-derived string (names, reprs, str contents, type names, keys,
 * notes) goes in as text: a notebook from a stranger cannot inject markup.
 */
import { fixture, render } from './helpers';

const CORPUS = [
  '<img src=x onerror=alert(1)>',
  '</svg><script>alert(1)</script>',
  '<script>alert(document.cookie)</script>',
  'javascript:alert(1)',
  '"><svg onload=alert(1)>',
  "' onmouseover='alert(1)",
  '<a href="javascript:alert(1)">x</a>',
  '<foreignObject><iframe src="javascript:alert(1)"></iframe></foreignObject>',
  '&lt;b&gt;entity&lt;/b&gt; &amp;',
  '<style>*{display:none}</style>',
  '{{constructor.constructor("alert(1)")()}}',
  '\u202e\u0000\u001b[31m'
];

function hostilePayload(): any {
  const p = fixture('kinds.json');
  const evil = (i: number) => CORPUS[i % CORPUS.length];
  p.names.forEach((n: any, i: number) => (n.name = evil(i) + i));
  p.deleted = [CORPUS[0], CORPUS[1]];
  p.notes = CORPUS.slice();
  p.objects.forEach((o: any, i: number) => {
    o.repr = evil(i + 1);
    o.type = evil(i + 2);
    o.type_module = evil(i + 3);
    o.holders = [
      { name: evil(i + 4) },
      { object: o.address, type: evil(i + 5), via: evil(i + 6) }
    ];
    if (o.str) {
      o.str.text = evil(i);
      o.str.length = o.str.text.length;
    }
    if (o.summary) {
      o.summary = { [evil(i)]: evil(i + 1) };
    }
    if (o.dict) {
      o.dict.entries.forEach((e: any, k: number) => (e.key_repr = evil(k)));
    }
    if (o.instance) {
      o.instance.attributes.forEach(
        (a: any, k: number) => (a.name = evil(k + 7))
      );
    }
    if (o.fields === undefined) {
      o.fields = [
        {
          name: evil(i),
          offset: 0,
          size: 8,
          ctype: evil(i + 1),
          value: evil(i + 2),
          note: evil(i + 3)
        }
      ];
    }
  });
  p.error = CORPUS[0];
  return p;
}

function assertInert(root: HTMLElement): void {
  expect(
    root.querySelectorAll(
      'script, img, iframe, foreignObject, style, a, object, embed'
    )
  ).toHaveLength(0);
  for (const el of Array.from(root.querySelectorAll('*'))) {
    for (const attr of Array.from(el.attributes)) {
      expect(attr.name.toLowerCase().startsWith('on')).toBe(false);
      expect(['href', 'xlink:href', 'src']).not.toContain(
        attr.name.toLowerCase()
      );
    }
  }
}

describe('injection corpus', () => {
  afterEach(() => document.body.replaceChildren());

  it('draws hostile strings as literal text, with no markup', async () => {
    const widget = await render(hostilePayload());
    const root = widget.node;
    expect(root.querySelector('.jp-Redpill-error')).toBeNull();
    expect(root.querySelector('svg')).not.toBeNull();
    assertInert(root);
    // Names appear literally (as text and as the data-name hook).
    const names = Array.from(root.querySelectorAll('[data-name]'));
    expect(names[0].getAttribute('data-name')).toBe(CORPUS[0] + '0');
    expect(names[1].textContent).toBe(CORPUS[1] + '1');
    // Notes and reprs are shown literally.
    const text = root.textContent!;
    expect(text).toContain('<img src=x onerror=alert(1)>');
    expect(text).toContain('</svg><script>alert(1)</script>');
    expect(text).toContain('&lt;b&gt;entity&lt;/b&gt; &amp;');
    widget.dispose();
  });

  it('stays inert after selecting every box (details panel, memory view)', async () => {
    const widget = await render(hostilePayload());
    for (const box of Array.from(
      widget.node.querySelectorAll('.jp-Redpill-box')
    )) {
      box.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      assertInert(widget.node);
    }
    expect(
      widget.node.querySelector('.jp-Redpill-details')!.textContent
    ).toContain('name <img src=x onerror=alert(1)>');
    widget.dispose();
  });

  it('error messages show hostile values as text', async () => {
    const widget = await render({
      schema_version: '<img src=x onerror=alert(1)>'
    });
    assertInert(widget.node);
    expect(widget.node.textContent).toContain('"<img src=x onerror=alert(1)>"');
    widget.dispose();
  });
});
