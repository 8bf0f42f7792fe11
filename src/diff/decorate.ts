/**
 * Change badges on a drawn diagram (--diff and --steps): a line above each
 * changed box, classes on boxes and names (styled in style/instructor.css).
 * SVG built with createElement/textContent only.
 */
import { svgEl } from '../draw/svg';
import { badgeText, IChangeMarks } from './changes';

/** Add the badges to `svg` (idempotent: old badges are removed first). */
export function decorateDiagram(
  doc: Document,
  svg: SVGSVGElement,
  marks: IChangeMarks,
  skip: ReadonlySet<string> = new Set()
): void {
  svg.querySelectorAll('.jp-Redpill-change').forEach(n => n.remove());
  svg.querySelectorAll('.jp-Redpill-box').forEach(box => {
    const address = box.getAttribute('data-address') ?? '';
    const mark = marks.objects.get(address);
    if (!mark || skip.has(address)) {
      return;
    }
    const text = badgeText(mark);
    if (!text) {
      return;
    }
    box.classList.add(`jp-Redpill-change-${mark.status}`);
    if (mark.refcount) {
      box.classList.add(
        mark.refcount[1] > mark.refcount[0]
          ? 'jp-Redpill-change-up'
          : 'jp-Redpill-change-down'
      );
    }
    const width = Number(
      box.querySelector('.jp-Redpill-boxFrame')?.getAttribute('width') ?? 0
    );
    const t = svgEl(
      doc,
      'text',
      {
        class: 'jp-Redpill-change jp-Redpill-changeBadge',
        x: width,
        y: -3,
        'text-anchor': 'end'
      },
      box
    );
    t.textContent = text;
    box.setAttribute(
      'aria-label',
      `${box.getAttribute('aria-label') ?? ''}, changed: ${text}`
    );
  });
  svg.querySelectorAll('.jp-Redpill-name').forEach(g => {
    const frame = g.getAttribute('data-frame');
    if (frame !== null && frame !== '0') {
      return; // the marks are about the cell's names, not a call's locals
    }
    const name = g.getAttribute('data-name') ?? '';
    const change = marks.names.get(name);
    if (change) {
      g.classList.add(`jp-Redpill-name-${change}`);
      const title = svgEl(doc, 'title', { class: 'jp-Redpill-change' });
      title.textContent = `${name}: ${change === 'new' ? 'new name' : change}`;
      g.appendChild(title);
    }
  });
}
