/**
 * The MIME extension: registers the redpill renderer with JupyterLab's
 * rendermime registry. Marked safe (it draws from JSON with DOM APIs and never
 * injects markup), so it also draws in untrusted notebooks. JupyterLab prefers
 * the lowest rank: at 35, ours wins over the HTML (50) and PNG (90) copies a
 * bundle may also carry, wherever this extension is installed.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';

import { MIME_TYPE } from './tokens';
import { RenderedRedpill } from './widget';

/**
 * The renderer's rank: below the HTML (50) and PNG (90) copies, so the diagram
 * wins.
 */
export const RANK = 35;

/**
 * Makes a `RenderedRedpill` for each redpill output; safe, so untrusted
 * notebooks draw too.
 */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [MIME_TYPE],
  defaultRank: RANK,
  createRenderer: options => new RenderedRedpill(options)
};

/** The MIME extension JupyterLab loads (the default export). */
const extension: IRenderMime.IExtension = {
  id: 'jupyterlab-redpill:mime',
  description:
    'Draws CPython memory (names, pointers, object structs) from %%redpill outputs.',
  rendererFactory,
  rank: RANK,
  dataType: 'json'
};

export default extension;
