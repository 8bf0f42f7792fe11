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
