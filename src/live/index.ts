/**
 * The live diagram: the drawing code the kernel's `text/html` carries (built
 * by `npm run build:live` into one bundle per set of features, see
 * webpack.live.config.js; each output stores the one it needs, compressed).
 * It draws a payload into its output's host element with the
 * same views as the JupyterLab renderer (a plain toolbar instead of
 * JupyterLab's) and takes the place of the fallback table only once the
 * diagram is drawn: a payload that fails validation, or any failure, leaves
 * the table as it is. No JupyterLab imports (the build checks).
 */
import baseCss from '../../style/base.css';
import { validateLive } from '../model/live-validate';
import type { RedpillPayload } from '../model/payload.generated';
import { plainToolbar } from '../view/toolbar-items';
import { IRedpillView, RedpillView } from '../view/view';
import { instructorView, INSTRUCTOR_STYLES } from './instructor-view';
import liveCss from '../../style/live.css';

/** Class of the host element the kernel's HTML wraps its table in. */
export const HOST_CLASS = 'redpill-live';
/** Class added to a host on a page without JupyterLab's theme variables. */
export const THEME_CLASS = 'redpill-live-theme';
/** Attribute set on a host once its diagram is drawn. */
export const DRAWN_ATTRIBUTE = 'data-redpill-drawn';

/**
 * The styles of a drawn diagram (the renderer's, then the live page's): text
 * in the bundle; jest maps style sheets to stand-ins that are not text.
 */
const STYLES = [baseCss, liveCss]
  .filter(css => typeof css === 'string')
  .join('\n');

/** What `draw` says happened (for the bootstrap's console, never shown). */
export type DrawResult =
  { ok: true; view: IRedpillView } | { ok: false; reason: string };

/**
 * Whether `payload` needs the instructor views (steps, a quiz, a diff or
 * hidden fields); the kernel's redpill/live.py chooses the bundle an output
 * carries from the same parts of the payload.
 */
export function needsInstructor(payload: RedpillPayload): boolean {
  return (
    (payload.steps?.length ?? 0) > 0 ||
    (payload.quiz?.length ?? 0) > 0 ||
    payload.diff !== undefined ||
    (payload.hidden_fields?.length ?? 0) > 0
  );
}

/**
 * Draw the payload `text` (its JSON) into `host`: on success the host holds
 * the diagram (the table kept hidden after it) and is marked drawn; on any
 * failure it is left untouched. Never throws. The views of a feature the
 * payload does not use may be stand-ins in the bundle an output carries
 * (webpack.live.config.js): one that is called anyway throws, and the table
 * stays.
 */
export function draw(host: HTMLElement, text: string): DrawResult {
  const failed = (reason: unknown): DrawResult => ({
    ok: false,
    reason: reason instanceof Error ? reason.message : String(reason)
  });
  try {
    if (host.getAttribute(DRAWN_ATTRIBUTE) === 'true') {
      return { ok: false, reason: 'already drawn' };
    }
    const result = validateLive(text);
    if (!result.ok) {
      return { ok: false, reason: result.message };
    }
    const payload = result.payload;
    const doc = host.ownerDocument;
    if (!needsInstructor(payload)) {
      return place(
        host,
        new RedpillView(payload, doc, {}, {}, plainToolbar),
        STYLES
      );
    }
    return place(
      host,
      instructorView(payload, doc),
      `${STYLES}\n${INSTRUCTOR_STYLES}`
    );
  } catch (reason) {
    return failed(reason);
  }
}

/** Put `view` (with `styles`) in place of the table of `host`. */
function place(
  host: HTMLElement,
  view: IRedpillView,
  styles: string
): DrawResult {
  try {
    const doc = host.ownerDocument;
    const frame = doc.createElement('div');
    frame.className = 'jp-Redpill';
    frame.appendChild(view.node);
    const style = doc.createElement('style');
    style.textContent = styles;
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
    view.dispose();
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
