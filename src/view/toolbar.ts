/**
 * The toolbar above a diagram in JupyterLab: the items of `toolbarItems`
 * (interpreter, zoom, exports, status) in a JupyterLab `Toolbar` with
 * JupyterLab's toolbar-button look and `LabIcon` icons. The buttons are plain
 * `<button>` elements (no React render pass), so the toolbar is complete as
 * soon as it is made.
 */
import { copyIcon, downloadIcon, Toolbar } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import type { EXPORT_ACTIONS } from './actions';
import {
  IDiagramToolbar,
  IToolbarHandlers,
  IToolbarItems,
  ToolbarFactory,
  toolbarItems
} from './toolbar-items';

export type { IToolbarHandlers } from './toolbar-items';

/** A toolbar item (a widget, as JupyterLab's toolbars hold) around `node`. */
function item(node: HTMLElement, className = 'jp-ToolbarButton'): Widget {
  const widget = new Widget();
  widget.addClass(className);
  widget.node.appendChild(node);
  return widget;
}

/** The JupyterLab toolbar of one diagram view. */
export class DiagramToolbar implements IDiagramToolbar {
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
    this._items = toolbarItems(doc, caption, actions, handlers);
    for (const entry of this._items.items) {
      if (entry.kind === 'spacer') {
        toolbar.addItem(entry.name, Toolbar.createSpacerItem());
        continue;
      }
      const node = entry.node!;
      if (entry.icon) {
        const icon = entry.icon === 'copy' ? copyIcon : downloadIcon;
        node.prepend(
          icon.element({
            tag: 'span',
            className: 'jp-ToolbarButtonComponent-icon',
            stylesheet: 'toolbarButton'
          })
        );
      }
      toolbar.addItem(
        entry.name,
        entry.kind === 'text'
          ? item(node, 'jp-Redpill-toolbarText')
          : item(node)
      );
    }
  }

  /** The JupyterLab toolbar widget. */
  readonly widget: Toolbar<Widget>;

  /** The toolbar widget's node (goes above the diagram). */
  get node(): HTMLElement {
    return this.widget.node;
  }

  /** Whether the toolbar was disposed. */
  get isDisposed(): boolean {
    return this._items.isDisposed;
  }

  /** Remove the listeners and dispose of the toolbar widget. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._items.dispose();
    this.widget.dispose();
  }

  private _items: IToolbarItems;
}

/** Makes a `DiagramToolbar`: the toolbar of views drawn in JupyterLab. */
export const jupyterToolbar: ToolbarFactory = (
  doc,
  caption,
  actions,
  handlers
) => new DiagramToolbar(doc, caption, actions, handlers);
