/**
 * The toolbar's export buttons (copy or download the diagram as SVG or PNG),
 * each telling the toolbar's status what it did. Only the JupyterLab widget
 * offers exports: the live page's bundles resolve this module to
 * src/live/exports.ts (webpack.live.config.js). No JupyterLab imports.
 */
import type { DisposableSet } from '../disposable';
import { listen } from '../dom';
import type { EXPORT_ACTIONS } from './actions';
import { toolbarButton } from './toolbar-button';
import type { IToolbarHandlers, IToolbarItem } from './toolbar-items';

/**
 * The buttons of `actions`, their listeners added to `listeners`; each click
 * shows in `status` the sentence its export resolves to.
 */
export function exportButtons(
  doc: Document,
  actions: readonly (typeof EXPORT_ACTIONS)[number][],
  handlers: IToolbarHandlers,
  listeners: DisposableSet,
  status: HTMLElement
): IToolbarItem[] {
  return actions.map(([action, label, tooltip]) => {
    const node = toolbarButton(
      doc,
      `jp-Redpill-export jp-Redpill-${action}`,
      label,
      tooltip
    );
    node.dataset.action = action;
    listeners.add(
      listen(node, 'click', async () => {
        const said = await handlers.export(action);
        if (!listeners.isDisposed) {
          status.textContent = said;
        }
      })
    );
    return {
      name: action,
      kind: 'button',
      node,
      icon: action.startsWith('copy') ? 'copy' : 'download'
    };
  });
}
