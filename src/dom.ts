/**
 * DOM helpers shared by the drawing's HTML parts and the views (details,
 * toolbar, quiz, steps): elements made with `createElement`, text set with
 * `textContent` only (never as markup), and event listeners as disposables,
 * so that a view's `dispose()` removes every listener it added at once. No
 * JupyterLab imports.
 */
import { DisposableDelegate, IDisposable } from './disposable';

/**
 * Make an HTML element with an optional class and text (set as
 * `textContent`), appended to `parent` when one is given.
 */
export function htmlEl<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className?: string,
  text?: string,
  parent?: Element
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  if (parent) {
    parent.appendChild(node);
  }
  return node;
}

/**
 * Listen to `type` events on `target`; disposing the result removes the
 * listener (add it to the view's `DisposableSet`).
 */
export function listen<E extends Event = Event>(
  target: EventTarget,
  type: string,
  listener: (event: E) => void
): IDisposable {
  const handler = listener as EventListener;
  target.addEventListener(type, handler);
  return new DisposableDelegate(() =>
    target.removeEventListener(type, handler)
  );
}

/** The number of the last id `freshId` gave. */
let lastId = 0;

/**
 * An id no element of `doc` has: `prefix` and a number. A page may hold
 * diagrams drawn by several copies of this code (the live page's bundles,
 * one per output's set of features), each counting on its own.
 */
export function freshId(doc: Document, prefix: string): string {
  let id: string;
  do {
    id = `${prefix}${++lastId}`;
  } while (doc.getElementById(id));
  return id;
}
