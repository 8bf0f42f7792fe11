/**
 * The live diagram: the drawing code the kernel's `text/html` carries (built
 * by `npm run build:live` into `redpill/static/live.js`, stored compressed in
 * each output). It draws a payload into its output's host element with the
 * same views as the JupyterLab renderer (a plain toolbar instead of
 * JupyterLab's) and takes the place of the fallback table only once the
 * diagram is drawn: a payload that fails validation, or any failure, leaves
 * the table as it is. No JupyterLab imports (the build checks).
 */
import baseCss from '../../style/base.css';
import instructorCss from '../../style/instructor.css';
import { validateLive } from '../model/live-validate';
import { payloadView } from '../view/payload-view';
import type { IRedpillView } from '../view/view';
import liveCss from '../../style/live.css';

/** Class of the host element the kernel's HTML wraps its table in. */
export const HOST_CLASS = 'redpill-live';
/** Class added to a host on a page without JupyterLab's theme variables. */
export const THEME_CLASS = 'redpill-live-theme';
/** Attribute set on a host once its diagram is drawn. */
export const DRAWN_ATTRIBUTE = 'data-redpill-drawn';

/** The styles of a drawn diagram (the renderer's, then the live page's). */
const STYLES = [baseCss, instructorCss, liveCss].join('\n');

/** What `draw` says happened (for the bootstrap's console, never shown). */
export type DrawResult =
  { ok: true; view: IRedpillView } | { ok: false; reason: string };

/**
 * Draw the payload `text` (its JSON) into `host`: on success the host holds
 * the diagram (the table kept hidden after it) and is marked drawn; on any
 * failure it is left untouched. Never throws.
 */
export function draw(host: HTMLElement, text: string): DrawResult {
  try {
    if (host.getAttribute(DRAWN_ATTRIBUTE) === 'true') {
      return { ok: false, reason: 'already drawn' };
    }
    const doc = host.ownerDocument;
    const view = payloadView(text, doc, validateLive);
    const frame = doc.createElement('div');
    frame.className = 'jp-Redpill';
    frame.appendChild(view.node);
    const style = doc.createElement('style');
    style.textContent = STYLES;
    const kept = Array.from(host.childNodes);
    const fallback = doc.createElement('div');
    fallback.className = 'redpill-live-fallback';
    fallback.hidden = true;
    fallback.append(...kept);
    host.append(style, frame, fallback);
    if (!themed(host)) {
      host.classList.add(THEME_CLASS);
    }
    host.setAttribute(DRAWN_ATTRIBUTE, 'true');
    return { ok: true, view };
  } catch (reason) {
    return {
      ok: false,
      reason: reason instanceof Error ? reason.message : String(reason)
    };
  }
}

/** Whether the page around `host` sets JupyterLab's theme variables. */
function themed(host: HTMLElement): boolean {
  const view = host.ownerDocument.defaultView;
  if (!view) {
    return false;
  }
  return (
    view
      .getComputedStyle(host)
      .getPropertyValue('--jp-ui-font-color1')
      .trim() !== ''
  );
}
