/**
 * The renderer's heavy half, loaded on demand by the widget: validate a raw
 * payload, normalise it, lay it out and draw it, with notices, a zoom toolbar
 * and the details panel. No JupyterLab imports.
 */
import { buildDiagram } from './draw/diagram';
import { createDetails } from './draw/details';
import { htmlEl } from './draw/svg';
import { buildModel, IRedpillModel } from './model/model';
import { validatePayload } from './model/validate';
import { DEFAULT_MAX_OBJECTS, IRenderOptions } from './tokens';

export { validatePayload } from './model/validate';
export { buildModel } from './model/model';
export { buildDiagram } from './draw/diagram';

/** A payload that cannot be drawn; `message` is meant for the reader. */
export class PayloadError extends Error {
  constructor(
    message: string,
    readonly details: string[] = []
  ) {
    super(message);
    this.name = 'PayloadError';
  }
}

export interface IRedpillView {
  node: HTMLElement;
  model: IRedpillModel;
  dispose(): void;
}

const ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3];

function notices(
  doc: Document,
  model: IRedpillModel,
  elided: number,
  maxObjects: number
): HTMLElement | null {
  const box = htmlEl(doc, 'div', 'jp-Redpill-notices');
  const add = (text: string, kind: string) =>
    htmlEl(doc, 'p', `jp-Redpill-notice jp-Redpill-notice-${kind}`, text, box);
  const p = model.payload;
  if (p.error) {
    add(
      `The cell raised ${p.error}; the names bound before it are shown.`,
      'error'
    );
  }
  if (p.deleted.length) {
    add(`Unbound by the cell: ${p.deleted.join(', ')}`, 'info');
  }
  const t = p.truncated;
  if (t?.names) {
    add(
      `${t.names} more name${t.names === 1 ? '' : 's'} bound but not collected.`,
      'info'
    );
  }
  if (t?.objects) {
    add(
      `${t.objects} more reachable object${t.objects === 1 ? '' : 's'} beyond the collector's cap.`,
      'info'
    );
  }
  if (elided > 0) {
    add(
      `${elided} object${elided === 1 ? '' : 's'} not drawn: the diagram shows at most ${maxObjects}.`,
      'info'
    );
  }
  for (const note of p.notes ?? []) {
    add(note, 'info');
  }
  for (const warning of model.warnings) {
    add(warning, 'warning');
  }
  if (p.names.length === 0) {
    add('The cell bound no names.', 'info');
  }
  return box.childElementCount ? box : null;
}

/**
 * Validate and draw a payload. Throws `PayloadError` for data it cannot draw.
 */
export function renderPayload(
  data: unknown,
  doc: Document,
  options: IRenderOptions = {}
): IRedpillView {
  const result = validatePayload(data);
  if (!result.ok) {
    throw new PayloadError(result.message, result.details);
  }
  const model = buildModel(result.payload);
  const maxObjects = Math.max(
    1,
    Math.floor(options.maxObjects ?? DEFAULT_MAX_OBJECTS)
  );
  const diagram = buildDiagram(doc, model, { maxObjects });
  const { svg } = diagram;

  const node = htmlEl(doc, 'div', 'jp-Redpill-view');
  const toolbar = htmlEl(doc, 'div', 'jp-Redpill-toolbar', undefined, node);
  const interp = model.payload.interpreter;
  htmlEl(
    doc,
    'span',
    'jp-Redpill-interpreter',
    `${interp.implementation} ${interp.version} · ${interp.pointer_size * 8}-bit${interp.free_threaded ? ' · free-threaded' : ''}`,
    toolbar
  );
  const zoomOut = htmlEl(doc, 'button', 'jp-Redpill-zoomOut', '−', toolbar);
  const zoomLabel = htmlEl(
    doc,
    'button',
    'jp-Redpill-zoomReset',
    '100%',
    toolbar
  );
  const zoomIn = htmlEl(doc, 'button', 'jp-Redpill-zoomIn', '+', toolbar);
  zoomOut.title = 'Zoom out';
  zoomIn.title = 'Zoom in';
  zoomLabel.title = 'Reset zoom';
  for (const b of [zoomOut, zoomLabel, zoomIn]) {
    b.type = 'button';
  }

  const notes = notices(doc, model, diagram.layout.elided.length, maxObjects);
  if (notes) {
    node.appendChild(notes);
  }
  const canvas = htmlEl(doc, 'div', 'jp-Redpill-canvas', undefined, node);
  canvas.appendChild(svg);
  const details = createDetails(doc, model, options.memoryOpen === true);
  node.appendChild(details.node);

  const baseWidth = Number(svg.getAttribute('width'));
  const baseHeight = Number(svg.getAttribute('height'));
  let zoom = ZOOM_STEPS.indexOf(1);
  const applyZoom = () => {
    const z = ZOOM_STEPS[zoom];
    svg.setAttribute('width', String(Math.round(baseWidth * z)));
    svg.setAttribute('height', String(Math.round(baseHeight * z)));
    zoomLabel.textContent = `${Math.round(z * 100)}%`;
  };
  const onZoomIn = () => {
    zoom = Math.min(ZOOM_STEPS.length - 1, zoom + 1);
    applyZoom();
  };
  const onZoomOut = () => {
    zoom = Math.max(0, zoom - 1);
    applyZoom();
  };
  const onZoomReset = () => {
    zoom = ZOOM_STEPS.indexOf(1);
    applyZoom();
  };
  zoomIn.addEventListener('click', onZoomIn);
  zoomOut.addEventListener('click', onZoomOut);
  zoomLabel.addEventListener('click', onZoomReset);

  // Selection and cross-highlighting of a box and its arrows.
  const boxOf = (target: EventTarget | null) =>
    ((target as Element | null)?.closest?.(
      '.jp-Redpill-box'
    ) as SVGGElement | null) ?? null;
  const mark = (address: string | null, cls: string) => {
    svg.querySelectorAll(`.${cls}`).forEach(el => el.classList.remove(cls));
    if (address === null) {
      return;
    }
    svg.querySelectorAll('.jp-Redpill-box, .jp-Redpill-arrow').forEach(el => {
      const a = el.getAttribute('data-address') ?? el.getAttribute('data-to');
      const from = el.getAttribute('data-from');
      if (a === address || from === address) {
        el.classList.add(cls);
      }
    });
  };
  const select = (address: string | null) => {
    mark(address, 'jp-Redpill-selected');
    details.show(address);
  };
  const onClick = (event: Event) => {
    const box = boxOf(event.target);
    if (box) {
      select(box.getAttribute('data-address'));
    }
  };
  const onKey = (event: KeyboardEvent) => {
    const box = boxOf(event.target);
    if (box && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      select(box.getAttribute('data-address'));
    } else if (event.key === 'Escape') {
      select(null);
    }
  };
  const onOver = (event: Event) => {
    const box = boxOf(event.target);
    mark(box ? box.getAttribute('data-address') : null, 'jp-Redpill-hover');
  };
  const onLeave = () => mark(null, 'jp-Redpill-hover');
  svg.addEventListener('click', onClick);
  svg.addEventListener('keydown', onKey);
  svg.addEventListener('mouseover', onOver);
  svg.addEventListener('focusin', onOver);
  svg.addEventListener('mouseleave', onLeave);

  return {
    node,
    model,
    dispose() {
      zoomIn.removeEventListener('click', onZoomIn);
      zoomOut.removeEventListener('click', onZoomOut);
      zoomLabel.removeEventListener('click', onZoomReset);
      svg.removeEventListener('click', onClick);
      svg.removeEventListener('keydown', onKey);
      svg.removeEventListener('mouseover', onOver);
      svg.removeEventListener('focusin', onOver);
      svg.removeEventListener('mouseleave', onLeave);
      details.dispose();
      node.remove();
    }
  };
}
