/* eslint-disable @typescript-eslint/no-explicit-any -- JSON schema */
/**
 * Shared renderer settings (fed by the plugin from the Settings Editor) are
 * honoured live by outputs already on the page.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { COPY_BUDGET } from '../draw/png';
import { optionsFromSettings, RendererSettings } from '../settings';
import { RenderedRedpill } from '../widget';
import {
  fixture,
  memoryOpenAfterSelecting,
  mimeModel,
  RENDERER_OPTIONS,
  ROOT,
  syntheticPayload
} from './helpers';

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
  }
  await new Promise(resolve => setTimeout(resolve, 0));
}

describe('RendererSettings', () => {
  it('fills defaults, validates and notifies only on change', () => {
    const settings = new RendererSettings();
    expect(settings.options).toEqual({
      maxObjects: 300,
      memoryOpen: false,
      addressFormat: 'full',
      staticCopies: true
    });
    const seen: unknown[] = [];
    const off = settings.subscribe(o => seen.push(o));
    settings.update({ maxObjects: 50 });
    settings.update({ maxObjects: 50 });
    settings.update({ maxObjects: -3 });
    settings.update({ memoryOpen: true });
    off();
    settings.update({ maxObjects: 10 });
    expect(seen).toEqual([
      {
        maxObjects: 50,
        memoryOpen: false,
        addressFormat: 'full',
        staticCopies: true
      },
      {
        maxObjects: 300,
        memoryOpen: false,
        addressFormat: 'full',
        staticCopies: true
      },
      {
        maxObjects: 300,
        memoryOpen: true,
        addressFormat: 'full',
        staticCopies: true
      }
    ]);
  });

  it('outputs redraw live when the settings change', async () => {
    const settings = new RendererSettings();
    const widget = new RenderedRedpill(RENDERER_OPTIONS, {}, settings);
    document.body.appendChild(widget.node);
    await widget.renderModel(mimeModel(syntheticPayload(120)));
    expect(widget.node.querySelectorAll('.jp-Redpill-box')).toHaveLength(120);
    settings.update({ maxObjects: 40 });
    await settle();
    expect(widget.node.querySelectorAll('.jp-Redpill-box')).toHaveLength(40);
    expect(widget.node.textContent).toContain('80 objects not drawn');
    widget.dispose();
    // A disposed output no longer listens.
    settings.update({ maxObjects: 10 });
    await settle();
    expect(widget.node.childElementCount).toBe(0);
    document.body.replaceChildren();
  });

  it('memory view open by default follows the setting', async () => {
    const settings = new RendererSettings();
    settings.update({ memoryOpen: true });
    const widget = new RenderedRedpill(RENDERER_OPTIONS, {}, settings);
    await widget.renderModel(mimeModel(fixture('skeleton.json')));
    expect(memoryOpenAfterSelecting(widget)).toBe(true);
    widget.dispose();
  });
});

describe('settings schema (schema/settings/plugin.json)', () => {
  const schema = JSON.parse(
    readFileSync(join(ROOT, 'schema', 'settings', 'plugin.json'), 'utf8')
  );

  it('declares every renderer setting with a title, a description and our defaults', () => {
    const props = schema.properties;
    expect(Object.keys(props).sort()).toEqual([
      'addressFormat',
      'autoload',
      'maxObjects',
      'memoryOpen',
      'staticCopies'
    ]);
    for (const key of Object.keys(props)) {
      expect(props[key].title).toBeTruthy();
      expect(props[key].description).toBeTruthy();
    }
    expect(props.addressFormat.enum).toEqual(['full', 'short']);
    const defaults = Object.fromEntries(
      Object.entries(props).map(([k, v]) => [k, (v as any).default])
    );
    expect(optionsFromSettings(defaults)).toEqual(
      new RendererSettings().options
    );
  });

  it('says what staticCopies stores: a PNG within its budget, no HTML copy', () => {
    const { title, description } = schema.properties.staticCopies;
    expect(title).toMatch(/PNG/);
    expect(description).toContain(`${COPY_BUDGET / 1000} KB`);
    expect(description).toMatch(/Nothing else is stored/);
    expect(description).not.toMatch(/script-free HTML copy/);
  });

  it("tells the drawing cap (maxObjects) apart from the kernel's --max-objects", () => {
    const { title, description } = schema.properties.maxObjects;
    expect(title).toMatch(/drawn \(in the browser\)/);
    expect(description).toContain('--max-objects');
    expect(description).toMatch(/caps drawing only/);
  });

  it('maps composite settings to renderer options, ignoring junk', () => {
    expect(
      optionsFromSettings({
        autoload: true,
        addressFormat: 'short',
        memoryOpen: true,
        maxObjects: 12
      })
    ).toEqual({ addressFormat: 'short', memoryOpen: true, maxObjects: 12 });
    expect(
      optionsFromSettings({ addressFormat: 'weird', maxObjects: '5' })
    ).toEqual({});
  });
});

describe('address format', () => {
  it('short addresses redraw live; the full one stays in the box data', async () => {
    const settings = new RendererSettings();
    const widget = new RenderedRedpill(RENDERER_OPTIONS, {}, settings);
    await widget.renderModel(mimeModel(fixture('skeleton.json')));
    const text = () =>
      widget.node.querySelector('.jp-Redpill-address')!.textContent;
    expect(text()).toBe('at 0x7f3a2c0b1f30');
    settings.update({ addressFormat: 'short' });
    await settle();
    expect(text()).toBe('at 0x…1f30');
    expect(
      widget.node.querySelector('.jp-Redpill-box')!.getAttribute('data-address')
    ).toBe('0x7f3a2c0b1f30');
    // Addresses are marked volatile (masked in screenshots).
    expect(
      widget.node.querySelector('.jp-Redpill-address')!.classList
    ).toContain('jp-Redpill-volatile');
    widget.dispose();
  });
});
