/* eslint-disable @typescript-eslint/no-explicit-any -- JSON payloads */
/**
 * Synthetic payloads, shared by the jest suites and the renderer benchmark
 * (benchmarks/renderer): no DOM and no JupyterLab imports. They validate
 * against schema/payload.v1.json (checked in schema.spec.ts and by the
 * benchmark).
 */
const hex = (n: number) => '0x' + (0x7f0000000000 + n * 0x40).toString(16);

/** An object entry for a one-digit int (values below 2**30). */
export function intEntry(address: string, value: number, refcount = 1): any {
  return {
    address,
    type: 'int',
    kind: 'int',
    refcount,
    immortal: false,
    repr: String(value),
    int: {
      value: String(value),
      sign: 1,
      ndigits: 1,
      digits: [value],
      digit_bits: 30,
      small_int_cached: false
    }
  };
}

/** An object entry for a compact ASCII str. */
export function strEntry(address: string, text: string): any {
  return {
    address,
    type: 'str',
    kind: 'str',
    refcount: 1,
    immortal: false,
    repr: `'${text}'`,
    str: {
      length: text.length,
      kind: 1,
      ascii: true,
      compact: true,
      interned: 0,
      text
    }
  };
}

/**
 * A deterministic synthetic payload with `count` objects: `names` names hold
 * lists; lists hold further lists, ints and strs (a tree with some shared
 * items and a cycle), so boxes spread over several columns.
 */
export function syntheticPayload(count: number, names = 10): any {
  const objects: any[] = [];
  const childrenOf = new Map<number, number[]>();
  const fanout = 4;
  for (let i = 0; i < count; i++) {
    const kids: number[] = [];
    for (let k = 1; k <= fanout; k++) {
      const child = i * fanout + k + names - 1;
      if (child < count && i >= names - 1) {
        kids.push(child);
      }
    }
    if (i < names) {
      // names roots: spread the first layer
      for (let k = 0; k < fanout; k++) {
        const child = names + i * fanout + k;
        if (child < count) {
          kids.push(child);
        }
      }
    }
    childrenOf.set(i, [...new Set(kids)]);
  }
  const hasParent = new Set<number>();
  for (const kids of childrenOf.values()) {
    kids.forEach(k => hasParent.add(k));
  }
  for (let i = 0; i < count; i++) {
    const kids = childrenOf.get(i)!.filter(k => k !== i);
    const address = hex(i);
    if (kids.length || i < names) {
      const items = kids.map(hex);
      if (i === names) {
        items.push(hex(0)); // a cycle back to the first list
      }
      objects.push({
        address,
        type: 'list',
        type_module: 'builtins',
        kind: 'list',
        refcount: 1,
        immortal: false,
        repr: `[… ${items.length} items]`,
        items,
        items_total: items.length,
        list: { allocated: items.length }
      });
    } else if (i % 2) {
      objects.push(intEntry(address, i * 1000));
    } else {
      objects.push(strEntry(address, `s${i}`));
    }
  }
  return {
    schema_version: 1,
    interpreter: {
      implementation: 'CPython',
      version: '3.12.3',
      pointer_size: 8,
      free_threaded: false
    },
    names: Array.from({ length: Math.min(names, count) }, (_, i) => ({
      name: `v${i}`,
      object: hex(i)
    })),
    deleted: [],
    objects
  };
}

/** The cell `framesPayload` records (a recursive factorial). */
export const FACTORIAL_SOURCE = [
  'def fact(n):',
  '    if n <= 1:',
  '        return 1',
  '    return n * fact(n - 1)',
  '',
  'r = fact(DEPTH)',
  'print(r)'
].join('\n');

/**
 * A deterministic --steps payload recorded line by line, the way the kernel
 * records calls: `fact(depth)` enters `depth` frames (call, line 2, line 4
 * each; the innermost line 3), returns through them (a `return` step each,
 * with the return value), binds `r` and prints it. `loops` repeats the
 * global `print` step that many more times (for hundreds of steps). Local `n`
 * is a holder of its int ("frame fact: n").
 */
export function framesPayload(depth = 4, loops = 0): any {
  const fn = hex(1);
  const intAt = (v: number) => hex(100 + v);
  const values = new Map<number, number>();
  for (let n = 1; n <= depth; n++) {
    values.set(n, n);
  }
  let f = 1;
  for (let n = 1; n <= depth; n++) {
    f *= n;
    values.set(f, f);
  }
  const stepObjects: any[] = [
    {
      address: fn,
      version: 0,
      type: 'function',
      kind: 'function',
      type_module: 'builtins',
      refcount: 2,
      immortal: false,
      repr: '<function fact>'
    },
    ...[...values.keys()].map(v => ({ ...intEntry(intAt(v), v), version: 0 }))
  ];
  const steps: any[] = [];
  const globals: any[] = [{ name: 'fact', object: fn }];
  type Call = { call: number; n: number; line: number; ret?: number };
  const push = (
    event: string,
    line: number,
    stack: Call[],
    extra: Record<string, unknown> = {}
  ) => {
    const holders = new Map<string, any[]>();
    const hold = (address: string, holder: any) =>
      holders.set(address, [...(holders.get(address) ?? []), holder]);
    for (const g of globals) {
      hold(g.object, { name: g.name });
    }
    for (const c of stack) {
      hold(intAt(c.n), { frame: c.call, function: 'fact', name: 'n' });
    }
    const shown = new Set<string>([fn, ...globals.map(g => g.object)]);
    for (const c of stack) {
      shown.add(intAt(c.n));
      if (c.ret !== undefined) {
        shown.add(intAt(c.ret));
      }
    }
    steps.push({
      event,
      lines: [line, line],
      names: globals.map(g => ({ ...g })),
      deleted: [],
      objects: [...shown].map(address => ({
        address,
        version: 0,
        refcount: Math.max(1, (holders.get(address) ?? []).length),
        holders: holders.get(address) ?? []
      })),
      new: [],
      freed: [],
      refcount_changes: [],
      frames: stack.map(c => ({
        call: c.call,
        function: 'fact',
        line: c.line,
        names: [{ name: 'n', object: intAt(c.n) }],
        ...(c.ret !== undefined ? { return: intAt(c.ret) } : {})
      })),
      ...extra
    });
  };
  push('line', 1, []);
  const stack: Call[] = [];
  for (let k = 0; k < depth; k++) {
    const n = depth - k;
    stack.push({ call: k + 1, n, line: 1 });
    push('call', 1, stack);
    stack[k].line = 2;
    push('line', 2, stack);
    stack[k].line = n <= 1 ? 3 : 4;
    push('line', stack[k].line, stack);
  }
  let result = 1;
  for (let k = depth - 1; k >= 0; k--) {
    result *= stack[k].n;
    stack[k].ret = result;
    push('return', stack[k].line, stack);
    stack.pop();
  }
  globals.push({ name: 'r', object: intAt(result) });
  push('line', 6, []);
  for (let i = 0; i <= loops; i++) {
    push('line', 7, [], { stdout: `${result}\n` });
  }
  const last = steps[steps.length - 1];
  const objects = last.objects.map((ref: any) => {
    const base = stepObjects.find(o => o.address === ref.address);
    const { version: _v, ...rest } = base;
    void _v;
    return { ...rest, refcount: ref.refcount, holders: ref.holders };
  });
  return {
    schema_version: 1,
    interpreter: {
      implementation: 'CPython',
      version: '3.12.3',
      pointer_size: 8,
      free_threaded: false
    },
    names: last.names,
    deleted: [],
    objects,
    error: null,
    source: FACTORIAL_SOURCE.replace('DEPTH', String(depth)),
    steps,
    step_objects: stepObjects,
    step_counts: { recorded: steps.length, executed: steps.length, exact: true }
  };
}
