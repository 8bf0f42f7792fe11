/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON */
/**
 * The static SVG (the .svg file and the source of the PNG stored in a
 * trusted bundle) is written from an allowlist of elements and attributes:
 * markup planted in every payload string or even in the drawn DOM itself
 * never comes out as markup.
 */
import { readdirSync } from 'fs';
import { join } from 'path';

import { staticSvg, svgMarkup } from '../draw/export';
import { renderPayload } from '../render';
import { fixture } from './helpers';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** What the issue-class attacks look like, as a stranger would write them. */
const ATTACKS = [
  '<img src="x"/onerror=alert(1)>',
  '<details/open/ontoggle=alert(1)>',
  '<a href="&#106;avascript:alert(1)">entity</a>',
  '<a href="&#x6A;avascript&#x3A;alert(2)">hex entity</a>',
  '<svg><script>alert(3)</script></svg>',
  '<svg><a xlink:href="javascript:alert(4)"><text>z</text></a></svg>',
  '<div style="background:url(javascript:alert(5))">css</div>',
  '<svg><set attributeName="onmouseover" to="alert(6)"/></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(7)>'
];

/** The elements the static SVG may hold. */
const ALLOWED = new Set(
  'svg title desc g rect text tspan line circle path'.split(' ')
);

/** No element, attribute or URL in a parsed copy that could run anything. */
function assertNoMarkup(root: Element): void {
  for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
    expect(ALLOWED).toContain(el.localName);
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      expect(name.startsWith('on')).toBe(false);
      expect([
        'href',
        'xlink:href',
        'src',
        'open',
        'attributename'
      ]).not.toContain(name);
      if (name === 'style') {
        expect(attr.value).not.toMatch(/url\(|expression|javascript/i);
      }
      if (!name.startsWith('data-') && name !== 'aria-label') {
        expect(attr.value).not.toMatch(/javascript|url\(/i);
      }
    }
  }
}

/** Keys whose strings have a fixed form (enums, hex fields, decimals). */
const FORMATTED = new Set([
  'kind',
  'storage',
  'tag_field',
  'tag',
  'hash',
  'hex',
  'mantissa',
  'byteorder'
]);

/** Every free string of a payload replaced by `evil`. */
function everywhere(value: any, evil: string, key = ''): any {
  if (typeof value === 'string') {
    // Addresses and enums must stay valid for the payload to be drawn.
    return /^0x[0-9a-f]+$/.test(value) || FORMATTED.has(key) ? value : evil;
  }
  if (Array.isArray(value)) {
    return value.map(v => everywhere(v, evil, key));
  }
  if (value && typeof value === 'object') {
    const out: any = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = everywhere(v, evil, k);
    }
    return out;
  }
  return value;
}

describe('static SVG of a drawn payload', () => {
  it.each(ATTACKS)('keeps %s planted in every payload string as text', evil => {
    const payload = everywhere(fixture('kinds.json'), evil);
    payload.schema_version = 1;
    const view = renderPayload(payload, document);
    const markup = svgMarkup(staticSvg(view.svg));
    const file = new DOMParser().parseFromString(markup, 'image/svg+xml');
    expect(file.querySelectorAll('g[data-address]').length).toBe(
      view.svg.querySelectorAll('.jp-Redpill-box').length
    );
    expect(file.querySelector('parsererror')).toBeNull();
    assertNoMarkup(file.documentElement);
    expect(file.documentElement.textContent).toContain(evil);
    view.dispose();
  });

  it('drops what the drawing never makes, even if it got into the DOM', () => {
    const view = renderPayload(fixture('skeleton.json'), document);
    const svg = view.svg;
    const add = (tag: string, attrs: Record<string, string>, ns = SVG_NS) => {
      const el = document.createElementNS(ns, tag);
      for (const [k, v] of Object.entries(attrs)) {
        if (k === 'xlink:href') {
          el.setAttributeNS('http://www.w3.org/1999/xlink', k, v);
        } else {
          el.setAttribute(k, v);
        }
      }
      svg.appendChild(el);
      return el;
    };
    add('script', {}).textContent = 'alert(1)';
    add('foreignObject', {}).appendChild(document.createElement('img'));
    add('a', { 'xlink:href': 'javascript:alert(2)' });
    add('set', { attributeName: 'onmouseover', to: 'alert(3)' });
    add('animate', { attributeName: 'href', values: 'javascript:alert(4)' });
    add('image', { href: 'data:image/svg+xml,<svg onload=alert(5)>' });
    add('rect', {
      onload: 'alert(6)',
      style: 'fill:url(javascript:alert(7))',
      fill: 'url(javascript:alert(8))',
      width: '1'
    });
    add('style', {}).textContent = '*{background:url(javascript:alert(9))}';
    const markup = svgMarkup(staticSvg(svg));
    const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    assertNoMarkup(doc.documentElement);
    expect(markup).not.toMatch(/alert/);
    view.dispose();
  });

  it('keeps every element and attribute the drawing makes', () => {
    for (const name of readdirSync(join(__dirname, 'fixtures'))) {
      const view = renderPayload(fixture(name), document);
      const copy = staticSvg(view.svg);
      const parsed = new DOMParser().parseFromString(
        svgMarkup(copy),
        'image/svg+xml'
      ).documentElement;
      const shape = (root: Element) =>
        [root, ...Array.from(root.querySelectorAll('*'))].map(
          el =>
            `${el.localName}(${Array.from(el.attributes)
              .map(a => a.name)
              .filter(a => a !== 'xmlns')
              .sort()
              .join(' ')})`
        );
      expect(shape(parsed)).toEqual(shape(copy));
      expect(parsed.textContent).toBe(copy.textContent);
      view.dispose();
    }
  });
});
