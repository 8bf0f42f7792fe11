/**
 * The toolbar's items as plain DOM: the interpreter that ran the cell, the
 * zoom (out, reset, in), the export buttons and a status line that announces
 * what an export did, each a `<button>` or `<span>` with its listener. Two
 * containers hold them: `DiagramToolbar` (a JupyterLab `Toolbar`, with
 * `LabIcon` icons) in JupyterLab, and `PlainToolbar` (a `<div>`) wherever
 * the diagram is drawn without JupyterLab (the live page). No JupyterLab
 * imports.
 */
import { DisposableSet, IDisposable } from '../disposable';
import { htmlEl, listen } from '../dom';
import type { EXPORT_ACTIONS, ExportAction } from './actions';
import { exportButtons } from './export-buttons';
import { toolbarButton } from './toolbar-button';

/** What the toolbar's buttons do. */
export interface IToolbarHandlers {
  /** Zoom in (1), out (-1) or back to 100% (0); returns the new percent. */
  zoom(direction: -1 | 0 | 1): number;
  /** Run an export action; resolves to the status sentence. */
  export(action: ExportAction): Promise<string>;
}

/** One item of the toolbar, in order. */
export interface IToolbarItem {
  /** The item's name (unique in the toolbar). */
  name: string;
  /** `text` (a caption or the status), `button`, or the `spacer` before the buttons. */
  kind: 'text' | 'button' | 'spacer';
  /** The item's element (none for the spacer). */
  node: HTMLElement | null;
  /** For the export buttons: the icon the container may add. */
  icon?: 'copy' | 'download';
}

/** The toolbar's items and their listeners. */
export interface IToolbarItems extends IDisposable {
  /** The items, left to right. */
  readonly items: readonly IToolbarItem[];
}

/** The toolbars the view can be given: made from the items, one node. */
export interface IDiagramToolbar extends IDisposable {
  /** The toolbar's root node (goes above the diagram). */
  readonly node: HTMLElement;
}

/** Makes the toolbar of a view (JupyterLab's or the plain one). */
export type ToolbarFactory = (
  doc: Document,
  caption: string,
  actions: readonly (typeof EXPORT_ACTIONS)[number][],
  handlers: IToolbarHandlers
) => IDiagramToolbar;

/**
 * Make the toolbar's items: `caption` names the interpreter; `actions` are
 * the export buttons to show (those this browser can do).
 */
export function toolbarItems(
  doc: Document,
  caption: string,
  actions: readonly (typeof EXPORT_ACTIONS)[number][],
  handlers: IToolbarHandlers
): IToolbarItems {
  const listeners = new DisposableSet();
  const items: IToolbarItem[] = [
    {
      name: 'interpreter',
      kind: 'text',
      node: htmlEl(doc, 'span', 'jp-Redpill-interpreter', caption)
    },
    { name: 'spacer', kind: 'spacer', node: null }
  ];
  const zoomOut = toolbarButton(doc, 'jp-Redpill-zoomOut', '−', 'Zoom out');
  const zoomReset = toolbarButton(
    doc,
    'jp-Redpill-zoomReset',
    '100%',
    'Reset zoom to 100%'
  );
  zoomReset.title = 'Reset zoom';
  const zoomIn = toolbarButton(doc, 'jp-Redpill-zoomIn', '+', 'Zoom in');
  const showZoom = (percent: number) => {
    zoomReset.querySelector('.jp-ToolbarButtonComponent-label')!.textContent =
      `${percent}%`;
  };
  for (const [name, node, direction] of [
    ['zoomOut', zoomOut, -1],
    ['zoomReset', zoomReset, 0],
    ['zoomIn', zoomIn, 1]
  ] as const) {
    items.push({ name, kind: 'button', node });
    listeners.add(
      listen(node, 'click', () => showZoom(handlers.zoom(direction)))
    );
  }

  const status = htmlEl(doc, 'span', 'jp-Redpill-status', '');
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  items.push(...exportButtons(doc, actions, handlers, listeners, status));
  items.push({ name: 'status', kind: 'text', node: status });
  return {
    items,
    get isDisposed() {
      return listeners.isDisposed;
    },
    dispose: () => listeners.dispose()
  };
}

/** The toolbar without JupyterLab: the same items in a `<div>`. */
export class PlainToolbar implements IDiagramToolbar {
  /** See `toolbarItems` for the arguments. */
  constructor(
    doc: Document,
    caption: string,
    actions: readonly (typeof EXPORT_ACTIONS)[number][],
    handlers: IToolbarHandlers
  ) {
    this._items = toolbarItems(doc, caption, actions, handlers);
    const node = (this.node = htmlEl(
      doc,
      'div',
      'jp-Redpill-toolbar jp-Redpill-plainToolbar'
    ));
    node.setAttribute('role', 'toolbar');
    for (const item of this._items.items) {
      if (item.kind === 'spacer') {
        htmlEl(doc, 'span', 'jp-Redpill-toolbarSpacer', undefined, node);
      } else if (item.node) {
        node.appendChild(item.node);
      }
    }
  }

  /** The toolbar's `<div>`. */
  readonly node: HTMLElement;

  /** Whether the toolbar was disposed. */
  get isDisposed(): boolean {
    return this._items.isDisposed;
  }

  /** Remove the listeners and the node. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._items.dispose();
    this.node.remove();
  }

  private _items: IToolbarItems;
}

/** Makes a `PlainToolbar`: the views' default toolbar. */
export const plainToolbar: ToolbarFactory = (doc, caption, actions, handlers) =>
  new PlainToolbar(doc, caption, actions, handlers);
