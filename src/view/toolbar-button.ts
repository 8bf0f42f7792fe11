/**
 * The toolbar's buttons (zoom and exports): a `<button>` with JupyterLab's
 * toolbar-button classes, styled by either toolbar container (./toolbar.ts
 * in JupyterLab, ./toolbar-items.ts elsewhere). No JupyterLab imports.
 */
import { htmlEl } from '../dom';

/** A toolbar button showing `label`, with `tooltip` as title and aria-label. */
export function toolbarButton(
  doc: Document,
  className: string,
  label: string,
  tooltip: string
): HTMLButtonElement {
  const node = htmlEl(
    doc,
    'button',
    `jp-ToolbarButtonComponent jp-mod-minimal jp-Button ${className}`
  );
  node.type = 'button';
  node.title = tooltip;
  node.setAttribute('aria-label', tooltip);
  htmlEl(doc, 'span', 'jp-ToolbarButtonComponent-label', label, node);
  return node;
}
