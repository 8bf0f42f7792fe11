/**
 * Zoom of a drawn diagram: a fixed ladder of scales applied to the SVG's
 * width and height (its viewBox keeps the drawing sharp at every scale).
 */

/** The zoom levels, smallest first; 1 is the diagram's own size. */
export const ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3];

/** The zoom of one SVG, starting at 100%. */
export class DiagramZoom {
  constructor(readonly svg: SVGSVGElement) {
    this.baseWidth = Number(svg.getAttribute('width'));
    this.baseHeight = Number(svg.getAttribute('height'));
  }

  /** The diagram's width at 100%. */
  readonly baseWidth: number;
  /** The diagram's height at 100%. */
  readonly baseHeight: number;

  /** The zoom now, in percent (rounded). */
  get percent(): number {
    return Math.round(ZOOM_STEPS[this._step] * 100);
  }

  /** One step bigger (-1: smaller, 0: back to 100%); returns the new percent. */
  zoom(direction: -1 | 0 | 1): number {
    this._step =
      direction === 0
        ? ZOOM_STEPS.indexOf(1)
        : Math.max(0, Math.min(ZOOM_STEPS.length - 1, this._step + direction));
    const z = ZOOM_STEPS[this._step];
    this.svg.setAttribute('width', String(Math.round(this.baseWidth * z)));
    this.svg.setAttribute('height', String(Math.round(this.baseHeight * z)));
    return this.percent;
  }

  private _step = ZOOM_STEPS.indexOf(1);
}
