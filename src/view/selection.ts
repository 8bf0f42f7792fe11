/**
 * Selection and cross-highlighting in a drawn diagram: clicking a box (or
 * Enter / Space on a focused one) selects it and its arrows, Escape clears
 * the selection, and hovering or focusing a box highlights it and its arrows.
 */
import { DisposableSet, IDisposable } from '../disposable';

import { listen } from '../dom';

/** Class of the selected box and its arrows. */
export const SELECTED_CLASS = 'jp-Redpill-selected';
/** Class of the hovered (or focused) box and its arrows. */
export const HOVER_CLASS = 'jp-Redpill-hover';

/** The object box an event happened in, if any. */
function boxOf(target: EventTarget | null): SVGGElement | null {
  return (
    ((target as Element | null)?.closest?.(
      '.jp-Redpill-box'
    ) as SVGGElement | null) ?? null
  );
}

/**
 * Tracks the selected box of `svg`; `onSelect` is told each new selection
 * (an address, or null when it is cleared).
 */
export class DiagramSelection implements IDisposable {
  constructor(
    readonly svg: SVGSVGElement,
    private readonly _onSelect: (address: string | null) => void
  ) {
    const address = (event: Event) =>
      boxOf(event.target)?.getAttribute('data-address') ?? null;
    const hover = (event: Event) => this._mark(address(event), HOVER_CLASS);
    this._listeners.add(
      listen(svg, 'click', event => {
        if (boxOf(event.target)) {
          this.select(address(event));
        }
      })
    );
    this._listeners.add(
      listen<KeyboardEvent>(svg, 'keydown', event => {
        if (
          boxOf(event.target) &&
          (event.key === 'Enter' || event.key === ' ')
        ) {
          event.preventDefault();
          this.select(address(event));
        } else if (event.key === 'Escape') {
          this.select(null);
        }
      })
    );
    this._listeners.add(listen(svg, 'mouseover', hover));
    this._listeners.add(listen(svg, 'focusin', hover));
    this._listeners.add(
      listen(svg, 'mouseleave', () => this._mark(null, HOVER_CLASS))
    );
  }

  /** Whether the listeners were removed. */
  get isDisposed(): boolean {
    return this._listeners.isDisposed;
  }

  /** Select the box of `address` and its arrows (null: clear). */
  select(address: string | null): void {
    this._mark(address, SELECTED_CLASS);
    this._onSelect(address);
  }

  /** Remove the listeners. */
  dispose(): void {
    this._listeners.dispose();
  }

  /** Put `cls` on the box of `address` and on the arrows from or to it only. */
  private _mark(address: string | null, cls: string): void {
    const svg = this.svg;
    svg.querySelectorAll(`.${cls}`).forEach(el => el.classList.remove(cls));
    if (address === null) {
      return;
    }
    svg.querySelectorAll('.jp-Redpill-box, .jp-Redpill-arrow').forEach(el => {
      const a = el.getAttribute('data-address') ?? el.getAttribute('data-to');
      const from = el.getAttribute('data-from');
      if (a === address || from === address) {
        el.classList.add(cls);
      }
    });
  }

  private _listeners = new DisposableSet();
}
