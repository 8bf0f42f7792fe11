/**
 * The diagram: names on the left, pointer arrows, object boxes. Builds an
 * `<svg>` from a model; pure DOM construction (no JupyterLab imports), so the
 * widget, the tests and a static export share it.
 */
import {
  ILayoutResult,
  IRect,
  layoutDiagram,
  MARGIN
} from '../geometry/placement';
import type { IFrameRef } from '../model/frames';
import type { INameRef, IRedpillModel } from '../model/model';
import { plural } from '../text';
import type { AddressFormat } from '../tokens';
import { clip } from '../model/model';
import {
  arrowGeometry,
  detourGeometry,
  drawArrow,
  IArrowGeometry,
  IPoint
} from './arrows';
import { IPreparedBox, prepareBox, typeLabel } from './box';
import { drawFrameBox, frameNote, frameText, frameTitle } from './frame-boxes';
import {
  LINE_HEIGHT,
  PAD,
  oneLine,
  round,
  SVG_NS,
  svgEl,
  svgText,
  textWidth
} from './svg';

const NAME_CHARS = 32;
/** Vertical distance between the lanes of pointers routed below the boxes. */
const DETOUR_STEP = 6;
/** Names spelled out in the text alternative before it says 'and N more'. */
const MAX_SUMMARY_NAMES = 40;

/**
 * A drawn diagram: the live SVG, where everything was placed, and the measured
 * boxes.
 */
export interface IDiagram {
  svg: SVGSVGElement;
  layout: ILayoutResult;
  boxes: Map<string, IPreparedBox>;
  /** Plain-text summary used as the SVG's text alternative. */
  summary: string;
}

/**
 * How `buildDiagram` draws: at most `maxObjects` boxes, addresses written as
 * asked.
 */
export interface IDiagramOptions {
  maxObjects: number;
  /** How the boxes write addresses (default: full). */
  addressFormat?: AddressFormat;
}

/** Text alternative: names → objects, aliasing spelled out. */
export function summarize(
  model: IRedpillModel,
  elided: number
): { title: string; desc: string } {
  const frames = model.frames;
  const n = model.names.filter(ref => ref.role !== 'return').length;
  const objects = model.order.length;
  const calls = frames ? `, ${plural(frames.length - 1, 'call frame')}` : '';
  const title = `CPython memory: ${plural(n, 'name')}, ${plural(objects, 'object')}${calls}`;
  const firstHolder = new Map<string, string>();
  const lines = model.names.map(ref => {
    const obj = model.objects.get(ref.address);
    const frame = frames && ref.frame ? frames[ref.frame] : null;
    const who = frame
      ? ref.role === 'return'
        ? `${frameTitle(frame)} returns`
        : `${frameTitle(frame)}: ${ref.name}`
      : ref.name;
    if (!obj) {
      return `${who} → ${ref.address} (not in the payload)`;
    }
    const value =
      obj.repr !== undefined ? ` ${clip(oneLine(obj.repr), 40)}` : '';
    const same = firstHolder.get(ref.address);
    firstHolder.set(ref.address, firstHolder.get(ref.address) ?? who);
    const alias = same !== undefined ? ` (the same object as ${same})` : '';
    return `${who} → ${typeLabel(obj)}${value} at ${ref.address}, refcount ${obj.refcount}${obj.immortal ? ', immortal' : ''}${alias}`;
  });
  if (lines.length > MAX_SUMMARY_NAMES) {
    const more = lines.length - MAX_SUMMARY_NAMES;
    lines.length = MAX_SUMMARY_NAMES;
    lines.push(`and ${plural(more, 'more name')}`);
  }
  if (elided > 0) {
    lines.push(`${plural(elided, 'more object')} not drawn`);
  }
  for (const frame of frames ?? []) {
    if (frame.exception) {
      lines.push(`${frameTitle(frame)} ${frameNote(frame.exception)}`);
    }
  }
  return { title, desc: lines.join('. ') };
}

/** The call number of the frame a name row sits in (`0`: the global frame). */
function frameCall(frames: IFrameRef[], ref: INameRef): string {
  return String(frames[ref.frame ?? 0]?.call ?? 0);
}

/**
 * Draw the names, object boxes and pointers of `model` as one accessible SVG
 * (text only, no markup).
 */
export function buildDiagram(
  doc: Document,
  model: IRedpillModel,
  options: IDiagramOptions
): IDiagram {
  const boxes = new Map<string, IPreparedBox>();
  for (const address of model.order) {
    boxes.set(address, prepareBox(model, address, options.addressFormat));
  }
  const nameLabels = model.names.map(
    ref => clip(oneLine(ref.name), NAME_CHARS) + (ref.present ? '' : ' → ?')
  );
  const frames = model.frames;
  const frameTexts = (frames ?? []).map(frameText);
  const layout = layoutDiagram({
    names: model.names.map((ref, i) => ({
      width: Math.ceil(textWidth(nameLabels[i]) + 2 * PAD + 6),
      height: LINE_HEIGHT + 8,
      target: ref.present ? ref.address : null,
      frame: ref.frame
    })),
    frames: frameTexts.map(t => t.spec),
    nodes: model.order.map(id => ({
      id,
      width: boxes.get(id)!.width,
      height: boxes.get(id)!.height
    })),
    edges: model.edges
      .filter(e => !e.from.startsWith('name:'))
      .map(e => ({
        from: e.from,
        to: e.to,
        fromY: boxes.get(e.from)!.anchors.get(e.index) ?? 0
      })),
    maxNodes: options.maxObjects
  });

  const elidedCount = layout.elided.length;
  // Pointers back to an earlier column run below the boxes, one lane each.
  const backEdges = model.edges.filter(e => {
    const s = layout.nodes.get(e.from);
    const t = layout.nodes.get(e.to);
    return s && t && t.column < s.column;
  }).length;
  const detourBase = layout.height - MARGIN + 10;
  const detourHeight = backEdges ? backEdges * DETOUR_STEP + 10 : 0;
  const extraHeight = detourHeight + (elidedCount > 0 ? LINE_HEIGHT + 8 : 0);
  const width = Math.max(layout.width, 200);
  const height = layout.height + extraHeight;
  const { title, desc } = summarize(model, elidedCount);

  const svg = svgEl(doc, 'svg', {
    class: 'jp-Redpill-svg',
    xmlns: SVG_NS,
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `${title}. ${desc}`
  });
  svgEl(doc, 'title', {}, svg).textContent = title;
  svgEl(doc, 'desc', {}, svg).textContent = desc;

  // The stack of frame boxes (--steps with calls), under the names.
  if (frames) {
    const stack = svgEl(doc, 'g', { class: 'jp-Redpill-stack' }, svg);
    frames.forEach((f, i) =>
      drawFrameBox(
        doc,
        stack,
        f,
        frameTexts[i],
        layout.frames[i],
        i === frames.length - 1
      )
    );
  }

  // Frame (names).
  const frame = svgEl(doc, 'g', { class: 'jp-Redpill-frame' }, svg);
  model.names.forEach((ref, i) => {
    const rect = layout.names[i];
    const g = svgEl(
      doc,
      'g',
      {
        class: `jp-Redpill-name${ref.present ? '' : ' jp-Redpill-name-missing'}${ref.rebound ? ' jp-Redpill-name-rebound' : ''}${ref.role === 'return' ? ' jp-Redpill-name-return' : ''}${frames && ref.frame ? ' jp-Redpill-name-local' : ''}`,
        'data-name': ref.name,
        'data-target': ref.address,
        ...(frames ? { 'data-frame': frameCall(frames, ref) } : {}),
        transform: `translate(${round(rect.x)} ${round(rect.y)})`
      },
      frame
    );
    svgEl(
      doc,
      'rect',
      {
        class: 'jp-Redpill-nameFrame',
        x: 0,
        y: 0,
        width: rect.width,
        height: rect.height,
        rx: 3
      },
      g
    );
    svgText(doc, g, PAD, rect.height - 8, nameLabels[i], 'jp-Redpill-nameText');
  });

  // Boxes.
  const boxLayer = svgEl(doc, 'g', { class: 'jp-Redpill-boxes' }, svg);
  for (const [id, placed] of layout.nodes) {
    boxes.get(id)!.draw(doc, boxLayer, placed.x, placed.y);
  }

  // Arrows (on top of the boxes, ending on their edges).
  const arrowLayer = svgEl(doc, 'g', { class: 'jp-Redpill-arrows' }, svg);
  let loops = 0;
  let detours = 0;
  /** x of the free lane right of a column (in the gap before the next). */
  const laneAfter = (column: number, k: number) => {
    const c = layout.columns[column];
    return c.x + c.width + 12 + (k % 5) * 6;
  };
  for (const edge of model.edges) {
    const target = layout.nodes.get(edge.to);
    if (!target) {
      continue;
    }
    let start: IPoint;
    let from: string;
    if (edge.from.startsWith('name:')) {
      const rect = layout.names[edge.index];
      start = { x: rect.x + rect.width, y: rect.y + rect.height / 2 };
      from = model.names[edge.index].name;
    } else {
      const source = layout.nodes.get(edge.from);
      const box = boxes.get(edge.from)!;
      const dy = box.anchors.get(edge.index);
      if (!source || dy === undefined) {
        continue;
      }
      start = { x: source.x + box.anchorX, y: source.y + dy };
      from = edge.from;
    }
    const rect: IRect = target;
    const source = layout.nodes.get(edge.from);
    let geometry: IArrowGeometry;
    if (source && source.column === target.column) {
      // A loop in one column runs through the gap right of it.
      geometry = arrowGeometry(start, rect, laneAfter(target.column, loops++));
    } else if (source && target.column < source.column) {
      // Back to an earlier column: around the boxes, below the diagram.
      geometry = detourGeometry(
        start,
        rect,
        laneAfter(source.column, detours),
        detourBase + detours * DETOUR_STEP,
        laneAfter(target.column, detours)
      );
      detours++;
    } else {
      // Forward: straight out of the source column, then a curve.
      const column = source ? layout.columns[source.column] : undefined;
      geometry = arrowGeometry(
        start,
        rect,
        undefined,
        column ? column.x + column.width + 6 : undefined
      );
    }
    const arrow = drawArrow(doc, arrowLayer, geometry, {
      from,
      to: edge.to,
      label: edge.label,
      className: edge.from.startsWith('name:')
        ? 'jp-Redpill-arrow-name'
        : 'jp-Redpill-arrow-slot'
    });
    if (frames && edge.from.startsWith('name:')) {
      arrow.setAttribute(
        'data-frame',
        frameCall(frames, model.names[edge.index])
      );
    }
  }

  if (elidedCount > 0) {
    svgText(
      doc,
      svg,
      MARGIN,
      layout.height + detourHeight + LINE_HEIGHT,
      `… ${plural(elidedCount, 'more object')} not drawn (limit ${options.maxObjects})`,
      'jp-Redpill-elided'
    );
  }
  return { svg, layout, boxes, summary: `${title}. ${desc}` };
}
