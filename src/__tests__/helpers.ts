/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON, mutated into invalid shapes on purpose */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { readFileSync } from 'fs';
import { join } from 'path';

import { MIME_TYPE } from '../tokens';
import { RenderedRedpill } from '../widget';

export const ROOT = join(__dirname, '..', '..');

export function fixture(name: string): any {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));
}

export function schema(): any {
  return JSON.parse(
    readFileSync(join(ROOT, 'schema', 'payload.v1.json'), 'utf8')
  );
}

/** A minimal IMimeModel (the interface is types-only). */
export function mimeModel(
  data: unknown,
  mimeType = MIME_TYPE
): IRenderMime.IMimeModel {
  return {
    trusted: false,
    data: { [mimeType]: data } as any,
    metadata: {},
    setData: () => undefined
  };
}

/** Render a payload into a fresh widget attached to the document. */
export async function render(
  data: unknown,
  options = {}
): Promise<RenderedRedpill> {
  const widget = new RenderedRedpill(
    {
      mimeType: MIME_TYPE,
      sanitizer: {} as any,
      resolver: null,
      linkHandler: null,
      latexTypesetter: null
    },
    options
  );
  document.body.appendChild(widget.node);
  await widget.renderModel(mimeModel(data));
  return widget;
}

export interface IBoxRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A box's rectangle in SVG coordinates (from its transform and frame). */
export function boxRect(box: Element): IBoxRect {
  const m = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(
    box.getAttribute('transform') ?? ''
  );
  const frame = box.querySelector('.jp-Redpill-boxFrame')!;
  return {
    x: Number(m![1]),
    y: Number(m![2]),
    width: Number(frame.getAttribute('width')),
    height: Number(frame.getAttribute('height'))
  };
}

/** The last point of an arrow's path. */
export function arrowEnd(arrow: Element): { x: number; y: number } {
  const d = arrow.querySelector('.jp-Redpill-arrowPath')!.getAttribute('d')!;
  const nums = d.match(/-?\d+(\.\d+)?/g)!.map(Number);
  return { x: nums[nums.length - 2], y: nums[nums.length - 1] };
}

/** True when a point lies on a rectangle's boundary (within `eps`). */
export function onBoundary(
  p: { x: number; y: number },
  r: IBoxRect,
  eps = 0.6
): boolean {
  const withinX = p.x >= r.x - eps && p.x <= r.x + r.width + eps;
  const withinY = p.y >= r.y - eps && p.y <= r.y + r.height + eps;
  const onVertical =
    (Math.abs(p.x - r.x) <= eps || Math.abs(p.x - r.x - r.width) <= eps) &&
    withinY;
  const onHorizontal =
    (Math.abs(p.y - r.y) <= eps || Math.abs(p.y - r.y - r.height) <= eps) &&
    withinX;
  return onVertical || onHorizontal;
}

const hex = (n: number) => '0x' + (0x7f0000000000 + n * 0x40).toString(16);

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
      objects.push({
        address,
        type: 'int',
        kind: 'int',
        refcount: 1,
        immortal: false,
        repr: String(i * 1000),
        int: {
          value: String(i * 1000),
          sign: 1,
          ndigits: 1,
          digits: [i * 1000],
          digit_bits: 30,
          small_int_cached: false
        }
      });
    } else {
      const text = `s${i}`;
      objects.push({
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
      });
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

/** Markup of a node, for comparing renders (read-only). */
export function serialize(node: Node): string {
  return new XMLSerializer().serializeToString(node);
}
