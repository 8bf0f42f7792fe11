/**
 * The C story in the renderer: "made by …" on the box, the call path with
 * links to CPython's source in the details view (only to the fixed GitHub
 * prefix, at a valid tag and file), the allocation, and the declaration whose
 * members highlight their bytes. The fixture is a payload the kernel wrote on
 * the free-threaded CPython 3.13.5 (lines verified, headers installed).
 */
import { CPYTHON_BLOB, sourceUrl, splitMembers } from '../draw/cstory';
import { birthLines } from '../draw/box';
import { fixture, render } from './helpers';

const INT = '0x3e522463c60';

async function selected(payload: unknown, address = INT) {
  const widget = await render(payload);
  const box = widget.node.querySelector(
    `.jp-Redpill-box[data-address="${address}"]`
  )!;
  box.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  const details = widget.node.querySelector('.jp-Redpill-details')!;
  return { widget, box, details };
}

describe('source links', () => {
  it('builds links from the fixed prefix only', () => {
    expect(sourceUrl('v3.13.5', 'Objects/longobject.c', 294)).toBe(
      'https://github.com/python/cpython/blob/v3.13.5/Objects/longobject.c#L294'
    );
    expect(sourceUrl('v3.14.0rc1', 'Include/cpython/longintrepr.h')).toBe(
      `${CPYTHON_BLOB}v3.14.0rc1/Include/cpython/longintrepr.h`
    );
  });

  it.each([
    ['main', 'Objects/longobject.c'],
    ['v3.13.5/../../evil', 'Objects/longobject.c'],
    ['v3.13.5?x=1', 'Objects/longobject.c'],
    ['v2.7.18', 'Objects/longobject.c'],
    ['v3.13.5', 'https://evil.example/x.c'],
    ['v3.13.5', '//evil.example/Objects/x.c'],
    ['v3.13.5', 'Objects/../../../evil/x.c'],
    ['v3.13.5', 'Lib/os.py'],
    ['v3.13.5', 'Objects/longobject.c#L1"onclick="x'],
    ['v3.13.5', 'Objects//longobject.c']
  ])('rejects tag %j with file %j', (tag, file) => {
    expect(sourceUrl(tag, file, 10)).toBeNull();
  });

  it.each([0, -3, 1.5, 1e9, '12', NaN])('rejects line %j', line => {
    expect(sourceUrl('v3.13.5', 'Objects/longobject.c', line)).toBeNull();
  });
});

describe('the C story in the diagram', () => {
  afterEach(() => document.body.replaceChildren());

  it('says on the box how CPython made the object', async () => {
    const { widget, box } = await selected(fixture('cstory.json'));
    expect(
      Array.from(box.querySelectorAll('.jp-Redpill-madeBy')).map(
        t => t.textContent
      )
    ).toEqual([
      'made by PyLong_FromLong',
      '→ _PyLong_FromMedium → PyObject_Malloc'
    ]);
    widget.dispose();
  });

  it('shows the call path with a link per verified line', async () => {
    const payload = fixture('cstory.json');
    const { widget, details } = await selected(payload);
    const steps = Array.from(details.querySelectorAll('.jp-Redpill-callStep'));
    expect(steps.map(s => s.querySelector('a')!.textContent)).toEqual([
      'PyLong_FromLong',
      '_PyLong_FromMedium',
      'PyObject_Malloc'
    ]);
    const links = steps.map(s => s.querySelector('a')!);
    expect(links[0].getAttribute('href')).toBe(
      'https://github.com/python/cpython/blob/v3.13.5/Objects/longobject.c#L294'
    );
    expect(links[1].getAttribute('href')).toBe(
      'https://github.com/python/cpython/blob/v3.13.5/Objects/longobject.c#L204'
    );
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toContain('noopener');
    }
    expect(steps[0].textContent).toContain('Objects/longobject.c line 294');
    expect(details.querySelector('.jp-Redpill-allocation')!.textContent).toBe(
      'allocation: mimalloc · 48 bytes asked for'
    );
    widget.dispose();
  });

  it('links to the file only, saying so, where no line was verified', async () => {
    const payload = fixture('cstory.json');
    payload.c_source = { tag: 'v3.13.9', verified: false };
    for (const step of payload.births['int-medium'].path) {
      delete step.line;
    }
    const { widget, details } = await selected(payload);
    const step = details.querySelector('.jp-Redpill-callStep')!;
    expect(step.querySelector('a')!.getAttribute('href')).toBe(
      'https://github.com/python/cpython/blob/v3.13.9/Objects/longobject.c'
    );
    expect(step.textContent).toContain(
      'Objects/longobject.c (line not verified)'
    );
    widget.dispose();
  });

  it('draws no link for a hostile tag or file, and still shows the path', async () => {
    const payload = fixture('cstory.json');
    payload.c_source = { tag: 'javascript:alert(1)//', verified: true };
    const { widget, details } = await selected(payload);
    expect(details.querySelectorAll('a')).toHaveLength(0);
    expect(details.textContent).toContain('PyLong_FromLong');
    expect(details.textContent).toContain('no valid CPython release');
    widget.dispose();

    const other = fixture('cstory.json');
    other.births['int-medium'].path[0].file = '../../../evil/x.c';
    other.declarations.PyLongObject.file = 'https://evil.example/a.h';
    const again = await selected(other);
    const hrefs = Array.from(again.details.querySelectorAll('a')).map(a =>
      a.getAttribute('href')
    );
    expect(hrefs).toHaveLength(2); // the two untouched steps
    for (const href of hrefs) {
      expect(href!.startsWith(CPYTHON_BLOB)).toBe(true);
    }
    expect(again.details.textContent).toContain('../../../evil/x.c');
    again.widget.dispose();
  });

  it('shows the declaration from the headers, each member linked to its bytes', async () => {
    const payload = fixture('cstory.json');
    const { widget, details } = await selected(payload);
    const decl = details.querySelector('.jp-Redpill-declaration')!;
    expect(decl.querySelector('.jp-Redpill-declText')!.textContent).toBe(
      payload.declarations.PyLongObject.text
    );
    expect(decl.querySelector('.jp-Redpill-declSource')!.textContent).toBe(
      "from your Python's headers: Include/cpython/longintrepr.h line 98"
    );
    expect(decl.querySelector('a')!.getAttribute('href')).toBe(
      'https://github.com/python/cpython/blob/v3.13.5/Include/cpython/longintrepr.h#L98'
    );
    const members = Array.from(
      decl.querySelectorAll<HTMLButtonElement>('.jp-Redpill-member')
    );
    expect(members.map(m => m.textContent)).toEqual([
      'PyObject_HEAD',
      'long_value'
    ]);
    const fields = payload.objects[0].fields.map(
      (f: { name: string }) => f.name
    );
    // long_value covers lv_tag and the digit: its click highlights their bytes
    members[1].dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const memory = details.querySelector(
      'details.jp-Redpill-memory'
    ) as HTMLDetailsElement;
    expect(memory.open).toBe(true);
    const lit = Array.from(
      details.querySelectorAll<HTMLElement>('.jp-Redpill-hexByte.jp-Redpill-hl')
    );
    expect(new Set(lit.map(b => b.title))).toEqual(
      new Set(['lv_tag', 'ob_digit[0]'])
    );
    expect(lit).toHaveLength(12); // 8 bytes of lv_tag, 4 of the digit
    const rows = Array.from(
      details.querySelectorAll<HTMLElement>(
        '.jp-Redpill-fieldRow.jp-Redpill-hl'
      )
    ).map(r => fields[Number(r.dataset.field)]);
    expect(rows).toEqual(['lv_tag', 'ob_digit[0]']);
    // PyObject_HEAD: the seven header fields of the free-threaded build
    members[0].dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const head = new Set(
      Array.from(
        details.querySelectorAll<HTMLElement>(
          '.jp-Redpill-hexByte.jp-Redpill-hl'
        )
      ).map(b => b.title)
    );
    expect(head).toEqual(
      new Set([
        'ob_tid',
        '_padding',
        'ob_mutex',
        'ob_gc_bits',
        'ob_ref_local',
        'ob_ref_shared',
        'ob_type'
      ])
    );
    widget.dispose();
  });

  it('says when the declaration comes from the stored table', async () => {
    const payload = fixture('cstory.json');
    payload.declarations.PyLongObject.source = 'table';
    delete payload.declarations.PyLongObject.line;
    const { widget, details } = await selected(payload);
    expect(details.querySelector('.jp-Redpill-declSource')!.textContent).toBe(
      "from redpill's stored table (your Python has no headers installed): " +
        'Include/cpython/longintrepr.h (line not verified)'
    );
    widget.dispose();
  });

  it('ignores births and declarations the payload does not carry', async () => {
    const payload = fixture('cstory.json');
    payload.objects[0].birth = 'constructor';
    payload.objects[0].declaration = '__proto__';
    delete payload.objects[0].allocation;
    const { widget, box, details } = await selected(payload);
    expect(box.querySelector('.jp-Redpill-madeBy')).toBeNull();
    expect(details.querySelector('.jp-Redpill-birth')).toBeNull();
    expect(details.querySelector('.jp-Redpill-declaration')).toBeNull();
    widget.dispose();
  });
});

describe('birthLines', () => {
  it('cuts at the arrows, drops the parenthesis, says when a literal was made', () => {
    expect(
      birthLines(
        'int-medium@literal',
        'made by PyLong_FromLong → _PyLong_FromMedium → PyObject_Malloc; a literal of the cell, made when the cell was compiled'
      )
    ).toEqual([
      'made by PyLong_FromLong',
      '→ _PyLong_FromMedium → PyObject_Malloc',
      'a literal: made when the cell was compiled'
    ]);
    const long = birthLines('x', 'made by ' + 'A'.repeat(100));
    expect(long).toEqual(['made by', 'A'.repeat(39) + '…']);
    expect(
      birthLines(
        'int-small',
        'not made: a preallocated small int (immortal; PyLong_FromLong returns it, no allocation)'
      )
    ).toEqual(['not made: a preallocated small int']);
    expect(
      birthLines(
        'none',
        'not made: a static singleton of the runtime and more words here'
      )
    ).toEqual([
      'not made: a static singleton of the',
      'runtime and more words here'
    ]);
  });
});

describe('splitMembers', () => {
  it('finds members outside comments, once each', () => {
    const parts = splitMembers(
      'typedef struct {\n  /* hash here */ Py_hash_t hash;\n  int x; // hash\n} T;',
      ['hash', 'x']
    );
    expect(parts.filter(p => p.member).map(p => p.member)).toEqual([
      'hash',
      'x'
    ]);
    expect(parts.map(p => p.text).join('')).toContain('/* hash here */');
    expect(parts.map(p => p.text).join('')).toBe(
      'typedef struct {\n  /* hash here */ Py_hash_t hash;\n  int x; // hash\n} T;'
    );
  });
});
