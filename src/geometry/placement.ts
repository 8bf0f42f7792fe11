/**
 * Where each box of a redpill diagram goes (its geometry; the kernel's
 * `layouts.py` is about C struct layouts, not this): by measurement rather than a
 * general graph-layout library: the picture is a frame of names and a forest
 * of pointers that is mostly shallow, so boxes go in columns by their
 * breadth-first depth from the names (names on the left, in binding order),
 * each box as close as it can get to the height of the first pointer that
 * reached it, never overlapping the box above. Same input, same output;
 * O(nodes + edges). Pure functions: no DOM, sizes come in as numbers.
 */

/** A name row to place, and the object it points at. */
export interface ILayoutName {
  /** Width and height of the name's row. */
  width: number;
  height: number;
  /** Address of the object it points at, or null (nothing to point at). */
  target: string | null;
  /** Index of the frame box it sits in (with `frames` only). */
  frame?: number;
}

/**
 * A frame box around a run of names (Python Tutor's stack of frames): a
 * title band above its names and room for notes below them.
 */
export interface ILayoutFrame {
  /** Height of the title band. */
  header: number;
  /** Height below the names (notes, an exception). */
  footer: number;
  /** Least width of the box (its title and notes). */
  minWidth: number;
}

/** An object box to place, with its measured size. */
export interface ILayoutNode {
  id: string;
  width: number;
  height: number;
}

/** A pointer from one box's slot to another box. */
export interface ILayoutEdge {
  from: string;
  to: string;
  /** Vertical offset of the pointer's start inside the `from` box. */
  fromY: number;
}

/** What `layoutDiagram` places: names, boxes and the pointers between them. */
export interface ILayoutInput {
  names: ILayoutName[];
  /** Nodes in payload order (the order breaks ties). */
  nodes: ILayoutNode[];
  /** Container edges, in slot order. */
  edges: ILayoutEdge[];
  /** Most nodes placed; the rest (latest in breadth-first order) are elided. */
  maxNodes?: number;
  /**
   * Frame boxes, stacked top to bottom in this order; each name says which
   * one it belongs to (names must come frame by frame, in this order).
   */
  frames?: ILayoutFrame[];
}

/** A rectangle in the diagram's coordinates. */
export interface IRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A placed box: its rectangle and its column. */
export interface IPlacedNode extends IRect {
  id: string;
  column: number;
}

/**
 * Where everything went: the diagram's size, the name rows, the boxes and what
 * was elided.
 */
export interface ILayoutResult {
  width: number;
  height: number;
  names: IRect[];
  nodes: Map<string, IPlacedNode>;
  /** Node ids left out because of `maxNodes`, in breadth-first order. */
  elided: string[];
  /** The columns of boxes, left to right: x and width of the widest box. */
  columns: { x: number; width: number }[];
  /** The frame boxes (with `frames` in the input), in input order. */
  frames: IRect[];
}

/** Space around the whole diagram, in pixels. */
export const MARGIN = 12;
/** Space between two columns of boxes (room for the arrows), in pixels. */
export const COLUMN_GAP = 72;
/** Least space between two boxes of one column, in pixels. */
export const ROW_GAP = 16;
/** Space between two name rows, in pixels. */
export const NAME_GAP = 6;
/** How far below a box's top its name row sits (level with the title bar). */
export const NAME_ALIGN = 0;
/** Space between a frame box's edge and its names, in pixels. */
export const FRAME_PAD = 8;
/** Space between two stacked frame boxes, in pixels. */
export const FRAME_GAP = 10;

/** Breadth-first order and depth of every node from the names. */
export function depthOrder(input: ILayoutInput): {
  order: string[];
  depth: Map<string, number>;
} {
  const known = new Set(input.nodes.map(n => n.id));
  const out = new Map<string, string[]>();
  for (const edge of input.edges) {
    if (!known.has(edge.from) || !known.has(edge.to)) {
      continue;
    }
    let list = out.get(edge.from);
    if (!list) {
      list = [];
      out.set(edge.from, list);
    }
    list.push(edge.to);
  }
  const depth = new Map<string, number>();
  const order: string[] = [];
  const queue: string[] = [];
  const visit = (id: string, d: number) => {
    if (known.has(id) && !depth.has(id)) {
      depth.set(id, d);
      order.push(id);
      queue.push(id);
    }
  };
  const drain = () => {
    for (let head = 0; head < queue.length; head++) {
      const id = queue[head];
      for (const next of out.get(id) ?? []) {
        visit(next, depth.get(id)! + 1);
      }
    }
    queue.length = 0;
  };
  for (const name of input.names) {
    if (name.target !== null) {
      visit(name.target, 0);
    }
  }
  drain();
  // Objects no name reaches (the payload may carry them): roots of their own.
  for (const node of input.nodes) {
    if (!depth.has(node.id)) {
      visit(node.id, 0);
      drain();
    }
  }
  return { order, depth };
}

/** Lay the diagram out. */
export function layoutDiagram(input: ILayoutInput): ILayoutResult {
  const sizes = new Map(input.nodes.map(n => [n.id, n]));
  const { order, depth } = depthOrder(input);
  const cap = Math.max(0, input.maxNodes ?? Infinity);
  const placedIds = order.slice(0, cap);
  const elided = order.slice(placedIds.length);
  const placedSet = new Set(placedIds);

  // Names: one column on the left, in binding order, right-aligned so their
  // arrows start on one edge (inside their frame boxes when there are some).
  const frameSpecs = input.frames ?? [];
  const framed = frameSpecs.length > 0;
  const inset = framed ? FRAME_PAD : 0;
  let namesWidth = 0;
  for (const name of input.names) {
    namesWidth = Math.max(namesWidth, name.width);
  }
  for (const frame of frameSpecs) {
    namesWidth = Math.max(namesWidth, frame.minWidth - 2 * FRAME_PAD);
  }
  const stackWidth = namesWidth + 2 * inset;
  const names: IRect[] = input.names.map(name => ({
    x: MARGIN + inset + namesWidth - name.width,
    y: MARGIN,
    width: name.width,
    height: name.height
  }));

  // Columns by depth (compacted: an elided depth leaves no empty column).
  const columnOf = new Map<number, number>();
  const depths = [...new Set(placedIds.map(id => depth.get(id)!))].sort(
    (a, b) => a - b
  );
  depths.forEach((d, i) => columnOf.set(d, i));
  const columnWidth: number[] = depths.map(() => 0);
  for (const id of placedIds) {
    const c = columnOf.get(depth.get(id)!)!;
    columnWidth[c] = Math.max(columnWidth[c], sizes.get(id)!.width);
  }
  const columnX: number[] = [];
  let x =
    input.names.length || framed ? MARGIN + stackWidth + COLUMN_GAP : MARGIN;
  for (const w of columnWidth) {
    columnX.push(x);
    x += w + COLUMN_GAP;
  }
  const width = columnWidth.length
    ? x - COLUMN_GAP + MARGIN
    : MARGIN + stackWidth + MARGIN;

  const edgesFrom = new Map<string, ILayoutEdge[]>();
  for (const edge of input.edges) {
    let list = edgesFrom.get(edge.from);
    if (!list) {
      list = [];
      edgesFrom.set(edge.from, list);
    }
    list.push(edge);
  }
  const nodes = new Map<string, IPlacedNode>();
  const columnBottom: number[] = depths.map(() => MARGIN);
  /** Desired top of a node: near the first pointer that reached it. */
  const desired = new Map<string, number>();
  let bottom = MARGIN;
  const place = (id: string, want: number) => {
    const size = sizes.get(id)!;
    const c = columnOf.get(depth.get(id)!)!;
    const top = Math.max(want, columnBottom[c]);
    nodes.set(id, {
      id,
      column: c,
      x: columnX[c],
      y: top,
      width: size.width,
      height: size.height
    });
    columnBottom[c] = top + size.height + ROW_GAP;
    bottom = Math.max(bottom, top + size.height);
    for (const edge of edgesFrom.get(id) ?? []) {
      if (placedSet.has(edge.to) && !desired.has(edge.to)) {
        desired.set(
          edge.to,
          Math.max(MARGIN, top + edge.fromY - NAME_ALIGN - 8)
        );
      }
    }
  };

  // The names and the objects they hold, top to bottom together: each name
  // sits level with its object's title bar when it can.
  let nameTop = MARGIN;
  const frames: IRect[] = [];
  /** Close the open frame box (its names are placed) and open the next ones up to `to`. */
  const openFrames = (to: number) => {
    while (frames.length <= to && frames.length < frameSpecs.length) {
      const previous = frames[frames.length - 1];
      if (previous) {
        closeFrame(previous, frameSpecs[frames.length - 1]);
      }
      const spec = frameSpecs[frames.length];
      const top = previous ? previous.y + previous.height + FRAME_GAP : MARGIN;
      frames.push({ x: MARGIN, y: top, width: stackWidth, height: 0 });
      nameTop = top + spec.header;
    }
  };
  const closeFrame = (rect: IRect, spec: ILayoutFrame) => {
    rect.height =
      Math.max(spec.header, nameTop - rect.y - NAME_GAP) +
      spec.footer +
      FRAME_PAD;
    nameTop = rect.y + rect.height;
    bottom = Math.max(bottom, nameTop);
  };
  input.names.forEach((name, i) => {
    if (framed) {
      openFrames(
        Math.min(
          frameSpecs.length - 1,
          Math.max(frames.length - 1, name.frame ?? 0)
        )
      );
    }
    const target = name.target;
    if (
      target !== null &&
      placedSet.has(target) &&
      !nodes.has(target) &&
      depth.get(target) === 0
    ) {
      place(target, nameTop - NAME_ALIGN);
    }
    const node = target === null ? undefined : nodes.get(target);
    // In frame boxes the names stay together (a frame reads as one block,
    // Python Tutor's way); the arrows run to wherever their objects went.
    const y =
      node && !framed ? Math.max(nameTop, node.y + NAME_ALIGN) : nameTop;
    names[i].y = y;
    nameTop = y + name.height + NAME_GAP;
    bottom = Math.max(bottom, y + name.height);
  });

  if (framed) {
    openFrames(frameSpecs.length - 1);
    closeFrame(frames[frames.length - 1], frameSpecs[frames.length - 1]);
  }

  // Everything else in breadth-first order (parents before children).
  for (const id of placedIds) {
    if (!nodes.has(id)) {
      place(id, desired.get(id) ?? MARGIN);
    }
  }
  const columns = columnX.map((cx, i) => ({ x: cx, width: columnWidth[i] }));
  return {
    width,
    height: bottom + MARGIN,
    names,
    nodes,
    elided,
    columns,
    frames
  };
}

/** True when two rectangles overlap (touching edges do not count). */
export function overlaps(a: IRect, b: IRect): boolean {
  return (
    a.x < b.x + b.width &&
    b.x < a.x + a.width &&
    a.y < b.y + b.height &&
    b.y < a.y + a.height
  );
}
