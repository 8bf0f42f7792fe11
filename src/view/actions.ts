/**
 * The toolbar's export actions: copy the diagram as SVG text or as a PNG
 * image, and download it as an .svg or .png file, in the palette of the theme
 * it is shown in. Each action reports what happened in a sentence for the
 * toolbar's status; none throws.
 */
import type { IExportPalette } from '../draw/export';
import { base64Of, IRaster } from '../draw/png';
import type { IRedpillModel } from '../model/model';

/** The toolbar's export buttons: action, label, tooltip (and aria-label). */
export const EXPORT_ACTIONS = [
  ['copySvg', 'Copy SVG', 'Copy the diagram as SVG'],
  ['downloadSvg', 'Download SVG', 'Download the diagram as an SVG file'],
  ['copyPng', 'Copy PNG', 'Copy the diagram as a PNG image'],
  ['downloadPng', 'Download PNG', 'Download the diagram as a PNG file']
] as const;

/** One of the export actions. */
export type ExportAction = (typeof EXPORT_ACTIONS)[number][0];

/** What an export action exports. */
export interface IExportSource {
  /** The model drawn (for the file name). */
  model: IRedpillModel;
  /** The palette to export in (the theme's, as shown). */
  palette(): IExportPalette;
  /** A standalone .svg file of the diagram. */
  svgFile(palette: IExportPalette): string;
  /** A PNG raster of the diagram. */
  png(palette: IExportPalette): Promise<IRaster>;
}

/** The browser's ClipboardItem, where there is one. */
type ClipboardItemClass = new (items: Record<string, Blob>) => unknown;

function clipboardItemOf(view: Window): ClipboardItemClass | null {
  const Item = (view as unknown as { ClipboardItem?: unknown }).ClipboardItem;
  return typeof Item === 'function' ? (Item as ClipboardItemClass) : null;
}

/** Whether this browser can copy an image to the clipboard. */
export function canCopyPng(view: Window | null): boolean {
  return (
    !!view &&
    clipboardItemOf(view) !== null &&
    typeof view.navigator.clipboard?.write === 'function'
  );
}

/** The export actions this browser can do, in toolbar order. */
export function availableActions(
  view: Window | null
): (typeof EXPORT_ACTIONS)[number][] {
  return EXPORT_ACTIONS.filter(
    ([action]) => action !== 'copyPng' || canCopyPng(view)
  );
}

/** File name for downloads: redpill-<first name>.<ext>. */
export function downloadName(model: IRedpillModel, ext: string): string {
  const first = model.names[0]?.name ?? 'diagram';
  const safe = first.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40) || 'diagram';
  return `redpill-${safe}.${ext}`;
}

/** Offer `blob` as a download named `name` (a temporary link, clicked). */
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

/** The PNG bytes of a data URL, as a Blob. */
function dataUrlBlob(view: Window, dataUrl: string): Blob {
  const binary = view.atob(base64Of(dataUrl));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return new Blob([bytes], { type: 'image/png' });
}

/**
 * Run `action` on `source` in `doc`'s window; resolves to the sentence the
 * toolbar's status shows (what was done, or why it could not be).
 */
export async function runExport(
  action: ExportAction,
  doc: Document,
  source: IExportSource
): Promise<string> {
  const win = doc.defaultView!;
  try {
    switch (action) {
      case 'copySvg':
        await win.navigator.clipboard.writeText(
          source.svgFile(source.palette())
        );
        return 'SVG copied';
      case 'downloadSvg':
        saveAs(
          doc,
          new Blob([source.svgFile(source.palette())], {
            type: 'image/svg+xml'
          }),
          downloadName(source.model, 'svg')
        );
        return 'SVG saved';
      case 'downloadPng': {
        const raster = await source.png(source.palette());
        saveAs(
          doc,
          dataUrlBlob(win, raster.dataUrl),
          downloadName(source.model, 'png')
        );
        return 'PNG saved';
      }
      case 'copyPng': {
        const Item = clipboardItemOf(win);
        if (!Item) {
          throw new Error('this browser cannot copy images');
        }
        const raster = await source.png(source.palette());
        await (
          win.navigator.clipboard as unknown as {
            write(items: unknown[]): Promise<void>;
          }
        ).write([new Item({ 'image/png': dataUrlBlob(win, raster.dataUrl) })]);
        return 'PNG copied';
      }
    }
  } catch (reason) {
    return `Could not ${action.startsWith('copy') ? 'copy' : 'save'}: ${reason instanceof Error ? reason.message : String(reason)}`;
  }
}
