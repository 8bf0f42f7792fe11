/**
 * The toolbar above a diagram: the interpreter that ran the cell, the zoom
 * (out, reset, in), the export buttons (copy / download icons with tooltips)
 * and a status line that announces what an export did. A JupyterLab
 * `Toolbar` with JupyterLab's toolbar-button look and `LabIcon` icons; the
 * buttons are plain `<button>` elements (no React render pass), so the
 * toolbar is complete as soon as it is made.
 */
import {
  copyIcon,
  downloadIcon,
  LabIcon,
  Toolbar
} from '@jupyterlab/ui-components';
import { DisposableSet, IDisposable } from '@lumino/disposable';
import { Widget } from '@lumino/widgets';

import { htmlEl, listen } from '../dom';
import type { EXPORT_ACTIONS, ExportAction } from './actions';

/** What the toolbar's buttons do. */
export interface IToolbarHandlers {
  /** Zoom in (1), out (-1) or back to 100% (0); returns the new percent. */
  zoom(direction: -1 | 0 | 1): number;
  /** Run an export action; resolves to the status sentence. */
  export(action: ExportAction): Promise<string>;
}

/** A button in JupyterLab's toolbar-button markup. */
function toolbarButton(
  doc: Document,
  className: string,
  label: string,
  tooltip: string,
  icon?: LabIcon
): HTMLButtonElement {
  const button = htmlEl(
    doc,
    'button',
    `jp-ToolbarButtonComponent jp-mod-minimal jp-Button ${className}`
  );
  button.type = 'button';
  button.title = tooltip;
  button.setAttribute('aria-label', tooltip);
  if (icon) {
    button.appendChild(
      icon.element({
        tag: 'span',
        className: 'jp-ToolbarButtonComponent-icon',
        stylesheet: 'toolbarButton'
      })
    );
  }
  htmlEl(doc, 'span', 'jp-ToolbarButtonComponent-label', label, button);
  return button;
}

/** A toolbar item (a widget, as JupyterLab's toolbars hold) around `node`. */
function item(node: HTMLElement, className = 'jp-ToolbarButton'): Widget {
  const widget = new Widget();
  widget.addClass(className);
  widget.node.appendChild(node);
  return widget;
}

/** The toolbar of one diagram view. */
export class DiagramToolbar implements IDisposable {
  /**
   * `caption` names the interpreter; `actions` are the export buttons to
   * show (those this browser can do).
   */
  constructor(
    doc: Document,
    caption: string,
    actions: readonly (typeof EXPORT_ACTIONS)[number][],
    handlers: IToolbarHandlers
  ) {
    const toolbar = (this.widget = new Toolbar());
    toolbar.addClass('jp-Redpill-toolbar');
    const text = (className: string, value: string) =>
      item(htmlEl(doc, 'span', className, value), 'jp-Redpill-toolbarText');
    toolbar.addItem('interpreter', text('jp-Redpill-interpreter', caption));
    toolbar.addItem('spacer', Toolbar.createSpacerItem());

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
    for (const [name, button, direction] of [
      ['zoomOut', zoomOut, -1],
      ['zoomReset', zoomReset, 0],
      ['zoomIn', zoomIn, 1]
    ] as const) {
      toolbar.addItem(name, item(button));
      this._listeners.add(
        listen(button, 'click', () => showZoom(handlers.zoom(direction)))
      );
    }

    const status = htmlEl(doc, 'span', 'jp-Redpill-status', '');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    for (const [action, label, tooltip] of actions) {
      const button = toolbarButton(
        doc,
        `jp-Redpill-export jp-Redpill-${action}`,
        label,
        tooltip,
        action.startsWith('copy') ? copyIcon : downloadIcon
      );
      button.dataset.action = action;
      toolbar.addItem(action, item(button));
      this._listeners.add(
        listen(button, 'click', async () => {
          const said = await handlers.export(action);
          if (!this.isDisposed) {
            status.textContent = said;
          }
        })
      );
    }
    toolbar.addItem('status', item(status, 'jp-Redpill-toolbarText'));
  }

  /** The JupyterLab toolbar widget (its node goes above the diagram). */
  readonly widget: Toolbar<Widget>;

  /** Whether the toolbar was disposed. */
  get isDisposed(): boolean {
    return this._listeners.isDisposed;
  }

  /** Remove the listeners and dispose of the toolbar widget. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._listeners.dispose();
    this.widget.dispose();
  }

  private _listeners = new DisposableSet();
}
