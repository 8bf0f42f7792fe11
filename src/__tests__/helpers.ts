/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON, mutated into invalid shapes on purpose */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { readFileSync } from 'fs';
import { join } from 'path';

import type { RendererSettings } from '../settings';
import { IRenderOptions, MIME_TYPE } from '../tokens';
import { RenderedRedpill } from '../widget';

export { framesPayload, syntheticPayload } from './synthetic';

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

/**
 * What JupyterLab hands a renderer. The renderer never sanitizes, resolves
 * or links anything (it builds DOM nodes from JSON), so these are empty.
 */
export const RENDERER_OPTIONS: IRenderMime.IRendererOptions = {
  mimeType: MIME_TYPE,
  sanitizer: {} as any,
  resolver: null,
  linkHandler: null,
  latexTypesetter: null
};

/** A fresh widget attached to the document (`settings`: its own, for isolation). */
export function newWidget(
  options: IRenderOptions = {},
  settings?: RendererSettings
): RenderedRedpill {
  const widget = new RenderedRedpill(RENDERER_OPTIONS, options, settings);
  document.body.appendChild(widget.node);
  return widget;
}

/** Render a payload into a fresh widget attached to the document. */
export async function render(
  data: unknown,
  options: IRenderOptions = {}
): Promise<RenderedRedpill> {
  const widget = newWidget(options);
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

/** Markup of a node, for comparing renders (read-only). */
export function serialize(node: Node): string {
  return new XMLSerializer().serializeToString(node);
}

/** Select the first box (a click) and tell whether its memory view is open. */
export function memoryOpenAfterSelecting(widget: {
  node: HTMLElement;
}): boolean {
  widget.node
    .querySelector('.jp-Redpill-box')!
    .dispatchEvent(new MouseEvent('click', { bubbles: true }));
  return (
    widget.node.querySelector('details.jp-Redpill-memory') as HTMLDetailsElement
  ).open;
}
