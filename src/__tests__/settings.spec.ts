/**
 * Shared renderer settings (fed by the plugin from the Settings Editor) are
 * honoured live by outputs already on the page.
 */
import { RendererSettings } from '../settings';
import { MIME_TYPE } from '../tokens';
import { RenderedRedpill } from '../widget';
import { fixture, mimeModel, syntheticPayload } from './helpers';

const rendererOptions = {
  mimeType: MIME_TYPE,
  sanitizer: {} as never,
  resolver: null,
  linkHandler: null,
  latexTypesetter: null
};

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
  }
  await new Promise(resolve => setTimeout(resolve, 0));
}

describe('RendererSettings', () => {
  it('fills defaults, validates and notifies only on change', () => {
    const settings = new RendererSettings();
    expect(settings.options).toEqual({ maxObjects: 300, memoryOpen: false });
    const seen: unknown[] = [];
    const off = settings.subscribe(o => seen.push(o));
    settings.update({ maxObjects: 50 });
    settings.update({ maxObjects: 50 });
    settings.update({ maxObjects: -3 });
    settings.update({ memoryOpen: true });
    off();
    settings.update({ maxObjects: 10 });
    expect(seen).toEqual([
      { maxObjects: 50, memoryOpen: false },
      { maxObjects: 300, memoryOpen: false },
      { maxObjects: 300, memoryOpen: true }
    ]);
  });

  it('outputs redraw live when the settings change', async () => {
    const settings = new RendererSettings();
    const widget = new RenderedRedpill(rendererOptions, {}, settings);
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
    const widget = new RenderedRedpill(rendererOptions, {}, settings);
    await widget.renderModel(mimeModel(fixture('skeleton.json')));
    widget.node
      .querySelector('.jp-Redpill-box')!
      .dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(
      (
        widget.node.querySelector(
          'details.jp-Redpill-memory'
        ) as HTMLDetailsElement
      ).open
    ).toBe(true);
    widget.dispose();
  });
});
