/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON, mutated into invalid shapes on purpose */
/**
 * Registration: a safe renderer for our MIME type, ranked below HTML and PNG
 * so that static copies in the same bundle don't take over where the
 * extension is installed, and chosen in untrusted notebooks too.
 */
import {
  MimeModel,
  RenderMimeRegistry,
  standardRendererFactories
} from '@jupyterlab/rendermime';

import extension, { rendererFactory } from '../mime';
import { MIME_TYPE } from '../tokens';
import * as api from '../index';
import { RenderedRedpill } from '../widget';
import { fixture, RENDERER_OPTIONS } from './helpers';

describe('mime extension', () => {
  it('declares a safe factory for our MIME type at rank 35', () => {
    expect(rendererFactory.safe).toBe(true);
    expect(rendererFactory.mimeTypes).toEqual([
      'application/vnd.redpill.v1+json'
    ]);
    expect(rendererFactory.defaultRank).toBe(35);
    expect(extension.id).toBe('jupyterlab-redpill:mime');
    expect(extension.rank).toBe(35);
    expect(extension.dataType).toBe('json');
    expect(extension.rendererFactory).toBe(rendererFactory);
  });

  it('creates RenderedRedpill widgets', () => {
    const widget = rendererFactory.createRenderer(RENDERER_OPTIONS);
    expect(widget).toBeInstanceOf(RenderedRedpill);
    expect(widget.node.classList).toContain('jp-Redpill');
    widget.dispose();
  });

  it('wins over HTML and PNG copies, trusted or not', () => {
    const registry = new RenderMimeRegistry({
      initialFactories: standardRendererFactories
    });
    registry.addFactory(rendererFactory, extension.rank);
    const bundle = {
      'text/plain': 'age -> int',
      'text/html': '<pre>age</pre>',
      'image/png': 'iVBORw0KGgo=',
      [MIME_TYPE]: {}
    };
    expect(registry.preferredMimeType(bundle, 'any')).toBe(MIME_TYPE);
    expect(registry.preferredMimeType(bundle, 'ensure')).toBe(MIME_TYPE);
    expect(registry.preferredMimeType(bundle, 'prefer')).toBe(MIME_TYPE);
  });

  it('draws through the registry with a real MimeModel (untrusted)', async () => {
    const registry = new RenderMimeRegistry({
      initialFactories: standardRendererFactories
    });
    registry.addFactory(rendererFactory, extension.rank);
    const model = new MimeModel({
      data: { [MIME_TYPE]: fixture('skeleton.json') },
      trusted: false
    });
    const mimeType = registry.preferredMimeType(model.data, 'ensure')!;
    const widget = registry.createRenderer(mimeType);
    document.body.appendChild(widget.node);
    await widget.renderModel(model);
    expect(widget.node.querySelectorAll('.jp-Redpill-box')).toHaveLength(1);
    expect(widget.node.querySelectorAll('[data-name]')).toHaveLength(2);
    widget.dispose();
    document.body.replaceChildren();
  });

  it('the public API: tokens and shared settings, nothing app-specific', () => {
    expect(api.MIME_TYPE).toBe(MIME_TYPE);
    expect(api.SCHEMA_VERSION).toBe(1);
    expect(Object.keys(api).sort()).toEqual([
      'DEFAULT_MAX_OBJECTS',
      'MIME_TYPE',
      'RendererSettings',
      'SCHEMA_VERSION',
      'rendererSettings'
    ]);
  });
});
