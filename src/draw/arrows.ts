/**
 * Pointer arrows: a cubic path from a start point to a point on the target
 * box's boundary, with an explicit arrowhead (no `<marker>` ids to collide
 * between outputs, and the head survives static export).
 */
import type { IRect } from '../geometry/placement';
import { round, svgEl } from './svg';

/** A point in the diagram's coordinates (CSS pixels at 100%). */
export interface IPoint {
  x: number;
  y: number;
}

/** The side of a box an arrow ends on. */
export type Side = 'left' | 'right';

/**
 * Where a pointer from `from` should end on `rect`'s boundary, and on which
 * side: the left edge when the box lies to the right of the start, else the
 * right edge (same column, a box to the left, or the box's own slot), so the
 * path loops through the gap between columns instead of crossing boxes.
 */
export function boundaryPoint(
  from: IPoint,
  rect: IRect
): { point: IPoint; side: Side } {
  const inset = Math.min(12, rect.height / 2);
  const clampY = (y: number) =>
    Math.min(rect.y + rect.height - inset, Math.max(rect.y + inset, y));
  if (from.x <= rect.x) {
    return { point: { x: rect.x, y: clampY(from.y) }, side: 'left' };
  }
  // Enter at the title bar for a loop back (distinct from the slot rows).
  const y = from.x >= rect.x + rect.width ? clampY(from.y) : rect.y + inset;
  return { point: { x: rect.x + rect.width, y }, side: 'right' };
}

/** The shapes of one drawn arrow: its path, its head and its two ends. */
export interface IArrowGeometry {
  path: string;
  head: string;
  start: IPoint;
  end: IPoint;
  side: Side;
}

const HEAD = 7;

/**
 * The geometry of an arrow from `start` to `rect`. `lane` is the x of the
 * free vertical lane a loop back (right-side entry) should run through,
 * normally just right of the widest box of the columns involved.
 */
export function arrowGeometry(
  start: IPoint,
  rect: IRect,
  lane?: number,
  exitX?: number
): IArrowGeometry {
  const { point: end, side } = boundaryPoint(start, rect);
  if (side === 'left' && exitX !== undefined && exitX > start.x) {
    // Straight out of the source column first (past every box in it), then
    // the curve through the free gap between the columns.
    const exit = { x: Math.min(exitX, end.x), y: start.y };
    const curve = arrowGeometry(exit, rect);
    const r = round;
    return {
      ...curve,
      path: `M ${r(start.x)} ${r(start.y)} L ${r(exit.x)} ${r(exit.y)} ${curve.path.replace(/^M [-\d.]+ [-\d.]+ /, '')}`,
      start
    };
  }
  const dx = Math.max(24, Math.abs(end.x - start.x) / 2);
  let c1: IPoint;
  let c2: IPoint;
  let dir: IPoint;
  if (side === 'left') {
    c1 = { x: start.x + dx, y: start.y };
    c2 = { x: end.x - dx, y: end.y };
    dir = { x: 1, y: 0 };
  } else if (lane !== undefined) {
    // Orthogonal loop through the lane: right, along, and back in.
    return laneGeometry(start, end, lane);
  } else {
    const out =
      Math.max(start.x, end.x) +
      Math.min(56, Math.max(28, Math.abs(end.y - start.y) / 4));
    c1 = { x: out, y: start.y };
    c2 = { x: out, y: end.y };
    dir = { x: -1, y: 0 };
  }
  const r = round;
  const head = headPath(end, dir);
  const path =
    `M ${r(start.x)} ${r(start.y)} C ${r(c1.x)} ${r(c1.y)} ` +
    `${r(c2.x)} ${r(c2.y)} ${r(end.x)} ${r(end.y)}`;
  return { path, head, start, end, side };
}

/** A triangle with its tip on `end`, pointing along `dir`. */
function headPath(end: IPoint, dir: IPoint): string {
  const r = round;
  const bx = end.x - dir.x * HEAD;
  const by = end.y - dir.y * HEAD;
  const px = -dir.y * (HEAD / 2);
  const py = dir.x * (HEAD / 2);
  return `M ${r(end.x)} ${r(end.y)} L ${r(bx + px)} ${r(by + py)} L ${r(bx - px)} ${r(by - py)} Z`;
}

/** Rounded orthogonal path start → lane → end (end on a right edge). */
function laneGeometry(
  start: IPoint,
  end: IPoint,
  lane: number
): IArrowGeometry {
  const r = round;
  const x = Math.max(lane, start.x + 8, end.x + 8);
  const dy = end.y - start.y;
  const k = Math.min(6, Math.abs(dy) / 2, x - start.x, x - end.x);
  const s = dy >= 0 ? 1 : -1;
  const path =
    `M ${r(start.x)} ${r(start.y)} L ${r(x - k)} ${r(start.y)} ` +
    `Q ${r(x)} ${r(start.y)} ${r(x)} ${r(start.y + s * k)} ` +
    `L ${r(x)} ${r(end.y - s * k)} Q ${r(x)} ${r(end.y)} ${r(x - k)} ${r(end.y)} ` +
    `L ${r(end.x)} ${r(end.y)}`;
  return {
    path,
    head: headPath(end, { x: -1, y: 0 }),
    start,
    end,
    side: 'right'
  };
}

/**
 * A pointer back to a box in an earlier column, routed around every box:
 * right into the free lane after the source column, down below the whole
 * diagram (`bottom`), left to the free lane after the target's column
 * (`laneIn`), up to the target and into its right edge.
 */
export function detourGeometry(
  start: IPoint,
  rect: IRect,
  laneOut: number,
  bottom: number,
  laneIn: number
): IArrowGeometry {
  const r = round;
  const end = {
    x: rect.x + rect.width,
    y: rect.y + Math.min(12, rect.height / 2)
  };
  const points: IPoint[] = [
    start,
    { x: laneOut, y: start.y },
    { x: laneOut, y: bottom },
    { x: laneIn, y: bottom },
    { x: laneIn, y: end.y },
    end
  ];
  return {
    path: roundedPolyline(points, 6),
    head: headPath(end, { x: -1, y: 0 }),
    start,
    end,
    side: 'right'
  };
  function roundedPolyline(pts: IPoint[], radius: number): string {
    let d = `M ${r(pts[0].x)} ${r(pts[0].y)}`;
    for (let i = 1; i < pts.length - 1; i++) {
      const [a, b, c] = [pts[i - 1], pts[i], pts[i + 1]];
      const k = Math.min(
        radius,
        Math.hypot(b.x - a.x, b.y - a.y) / 2,
        Math.hypot(c.x - b.x, c.y - b.y) / 2
      );
      const toward = (p: IPoint, q: IPoint) => {
        const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
        return {
          x: p.x + ((q.x - p.x) / len) * k,
          y: p.y + ((q.y - p.y) / len) * k
        };
      };
      const p1 = toward(b, a);
      const p2 = toward(b, c);
      d += ` L ${r(p1.x)} ${r(p1.y)} Q ${r(b.x)} ${r(b.y)} ${r(p2.x)} ${r(p2.y)}`;
    }
    const last = pts[pts.length - 1];
    return `${d} L ${r(last.x)} ${r(last.y)}`;
  }
}

/** Draw an arrow into `parent`; the group carries data-from/data-to hooks. */
export function drawArrow(
  doc: Document,
  parent: Element,
  geometry: IArrowGeometry,
  attrs: { from: string; to: string; label: string; className?: string }
): SVGGElement {
  const g = svgEl(
    doc,
    'g',
    {
      class: `jp-Redpill-arrow${attrs.className ? ' ' + attrs.className : ''}`,
      'data-from': attrs.from,
      'data-to': attrs.to,
      'data-label': attrs.label,
      'data-end-x': round(geometry.end.x),
      'data-end-y': round(geometry.end.y)
    },
    parent
  );
  svgEl(
    doc,
    'circle',
    {
      class: 'jp-Redpill-arrowTail',
      cx: round(geometry.start.x),
      cy: round(geometry.start.y),
      r: 3
    },
    g
  );
  svgEl(doc, 'path', { class: 'jp-Redpill-arrowPath', d: geometry.path }, g);
  svgEl(doc, 'path', { class: 'jp-Redpill-arrowHead', d: geometry.head }, g);
  return g;
}
