/**
 * The renderer's heavy half, loaded on demand by the widget: validate a raw
 * payload, normalise it, lay it out and draw it, with notices, a zoom toolbar
 * and the details panel. No JupyterLab imports.
 */
import { buildDiagram } from './draw/diagram';
import { createDetails } from './draw/details';
import {
  IExportPalette,
  LIGHT_PALETTE,
  paletteOf,
  staticHtml,
  staticSvg,
  svgFile,
  svgMarkup
} from './draw/export';
import { base64Of, IRaster, svgToPng } from './draw/png';
import { htmlEl, VOLATILE } from './draw/svg';
import { buildModel, IRedpillModel } from './model/model';
import { validatePayload } from './model/validate';
import type { RedpillPayload } from './model/payload.generated';
import {
  IInstructorHost,
  instructorView,
  needsInstructorView
} from './instructor';
import { DEFAULT_MAX_OBJECTS, IRenderOptions } from './tokens';

export { validatePayload } from './model/validate';
export { buildModel } from './model/model';
export { buildDiagram } from './draw/diagram';
export { payloadHash, kernelHtmlOf } from './draw/export';
export { base64Of } from './draw/png';
export { quizStateOf, withQuizState } from './quiz/quiz';
export type { IInstructorHost } from './instructor';

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

export interface IStaticCopies {
  /** Script-free HTML: the static SVG, a caption and the facts as text. */
  html: string;
  /** The static SVG's markup. */
  svg: string;
  width: number;
  height: number;
}

export interface IRedpillView {
  node: HTMLElement;
  model: IRedpillModel;
  /** The live diagram. */
  svg: SVGSVGElement;
  /** A standalone .svg file of the diagram in `palette` (default: light). */
  svgFile(palette?: IExportPalette): string;
  /** The static copies stored in the output bundle (light palette). */
  staticCopies(kernel: {
    html?: string | null;
    text?: string | null;
  }): IStaticCopies;
  /** A PNG of the diagram (needs a browser canvas). */
  png(palette?: IExportPalette): Promise<IRaster>;
  dispose(): void;
}

/** The toolbar's export buttons: class, label, aria-label. */
export const EXPORT_ACTIONS = [
  ['copySvg', 'Copy SVG', 'Copy the diagram as SVG'],
  ['downloadSvg', 'Download SVG', 'Download the diagram as an SVG file'],
  ['copyPng', 'Copy PNG', 'Copy the diagram as a PNG image'],
  ['downloadPng', 'Download PNG', 'Download the diagram as a PNG file']
] as const;

/** File name for downloads: redpill-<first name>.<ext>. */
export function downloadName(model: IRedpillModel, ext: string): string {
  const first = model.names[0]?.name ?? 'diagram';
  const safe = first.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40) || 'diagram';
  return `redpill-${safe}.${ext}`;
}

function saveAs(doc: Document, blob: Blob, name: string): void {
  const view = doc.defaultView!;
  const url = view.URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  view.setTimeout(() => view.URL.revokeObjectURL(url), 10000);
}

function dataUrlBlob(view: Window, dataUrl: string): Blob {
  const binary = view.atob(base64Of(dataUrl));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return new Blob([bytes], { type: 'image/png' });
}

const ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3];

/**
 * Wrap the addresses in a notice's text in volatile spans (they change from
 * run to run). Text only: the pieces go in with textContent.
 */
export function markAddresses(doc: Document, node: HTMLElement): void {
  const text = node.textContent ?? '';
  const parts = text.split(/(0x[0-9a-f]{6,})/i);
  if (parts.length === 1) {
    return;
  }
  node.replaceChildren();
  parts.forEach((part, i) => {
    if (i % 2) {
      htmlEl(doc, 'span', VOLATILE, part, node);
    } else if (part) {
      node.appendChild(doc.createTextNode(part));
    }
  });
}

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
    markAddresses(doc, add(note, 'info'));
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
  options: IRenderOptions = {},
  host: IInstructorHost = {}
): IRedpillView {
  const result = validatePayload(data);
  if (!result.ok) {
    throw new PayloadError(result.message, result.details);
  }
  const payload = result.payload;
  if (!needsInstructorView(payload, host)) {
    return drawPayload(payload, doc, options);
  }
  return instructorView(payload, doc, host, p => drawPayload(p, doc, options));
}

/** Draw a validated (or masked) payload. */
export function drawPayload(
  payload: RedpillPayload,
  doc: Document,
  options: IRenderOptions = {}
): IRedpillView {
  const model = buildModel(payload);
  // Placeholders of hidden addresses (quiz) are not inconsistencies.
  model.warnings = model.warnings.filter(w => !w.includes('0x?'));
  const maxObjects = Math.max(
    1,
    Math.floor(options.maxObjects ?? DEFAULT_MAX_OBJECTS)
  );
  const diagram = buildDiagram(doc, model, {
    maxObjects,
    addressFormat: options.addressFormat === 'short' ? 'short' : 'full'
  });
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
  zoomOut.setAttribute('aria-label', 'Zoom out');
  zoomIn.setAttribute('aria-label', 'Zoom in');
  zoomLabel.setAttribute('aria-label', 'Reset zoom to 100%');
  for (const b of [zoomOut, zoomLabel, zoomIn]) {
    b.type = 'button';
  }
  const view = doc.defaultView;
  const canCopyPng =
    !!view &&
    typeof (view as unknown as { ClipboardItem?: unknown }).ClipboardItem ===
      'function' &&
    typeof view.navigator.clipboard?.write === 'function';
  const exportButtons = new Map<string, HTMLButtonElement>();
  for (const [action, label, aria] of EXPORT_ACTIONS) {
    if (action === 'copyPng' && !canCopyPng) {
      continue;
    }
    const b = htmlEl(
      doc,
      'button',
      `jp-Redpill-export jp-Redpill-${action}`,
      label,
      toolbar
    );
    b.type = 'button';
    b.title = aria;
    b.setAttribute('aria-label', aria);
    b.dataset.action = action;
    exportButtons.set(action, b);
  }
  const status = htmlEl(doc, 'span', 'jp-Redpill-status', '', toolbar);
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');

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
  // Export (toolbar): in the palette of the theme the output is shown in.
  const livePalette = () =>
    node.isConnected ? paletteOf(node) : LIGHT_PALETTE;
  const fileOf = (palette: IExportPalette = LIGHT_PALETTE) =>
    svgFile(staticSvg(svg, palette));
  const png = (palette: IExportPalette = LIGHT_PALETTE) =>
    svgToPng(svgMarkup(staticSvg(svg, palette)), baseWidth, baseHeight, doc);
  const say = (text: string) => {
    status.textContent = text;
  };
  const onExport = async (event: Event) => {
    const action = (event.currentTarget as HTMLElement).dataset.action;
    const win = doc.defaultView!;
    try {
      switch (action) {
        case 'copySvg':
          await win.navigator.clipboard.writeText(fileOf(livePalette()));
          say('SVG copied');
          break;
        case 'downloadSvg':
          saveAs(
            doc,
            new Blob([fileOf(livePalette())], { type: 'image/svg+xml' }),
            downloadName(model, 'svg')
          );
          say('SVG saved');
          break;
        case 'downloadPng': {
          const raster = await png(livePalette());
          saveAs(
            doc,
            dataUrlBlob(win, raster.dataUrl),
            downloadName(model, 'png')
          );
          say('PNG saved');
          break;
        }
        case 'copyPng': {
          const Item = (
            win as unknown as {
              ClipboardItem: new (items: Record<string, Blob>) => unknown;
            }
          ).ClipboardItem;
          const raster = await png(livePalette());
          await (
            win.navigator.clipboard as unknown as {
              write(items: unknown[]): Promise<void>;
            }
          ).write([
            new Item({ 'image/png': dataUrlBlob(win, raster.dataUrl) })
          ]);
          say('PNG copied');
          break;
        }
      }
    } catch (reason) {
      say(
        `Could not ${action?.startsWith('copy') ? 'copy' : 'save'}: ${reason instanceof Error ? reason.message : String(reason)}`
      );
    }
  };
  exportButtons.forEach(b => b.addEventListener('click', onExport));

  svg.addEventListener('click', onClick);
  svg.addEventListener('keydown', onKey);
  svg.addEventListener('mouseover', onOver);
  svg.addEventListener('focusin', onOver);
  svg.addEventListener('mouseleave', onLeave);

  const caption = `${interp.implementation} ${interp.version} · ${interp.pointer_size * 8}-bit${interp.free_threaded ? ' · free-threaded' : ''} · drawn by jupyterlab-redpill`;
  return {
    node,
    model,
    svg,
    svgFile: fileOf,
    png,
    staticCopies(kernel) {
      const copy = staticSvg(svg, LIGHT_PALETTE);
      const markup = svgMarkup(copy);
      return {
        svg: markup,
        html: staticHtml({
          svg: markup,
          caption,
          kernelHtml: kernel.html,
          kernelText: kernel.text
        }),
        width: baseWidth,
        height: baseHeight
      };
    },
    dispose() {
      exportButtons.forEach(b => b.removeEventListener('click', onExport));
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
