/**
 * The autoloader sends `%load_ext redpill` (silently) to Python kernels when
 * they start or restart, never to other kernels, and not when turned off.
 */
import type { ISessionContext } from '@jupyterlab/apputils';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';

import { readFileSync } from 'fs';
import { join } from 'path';

import {
  AUTOLOAD_CODE,
  KernelAutoloader,
  isPythonKernel,
  isPythonKernelName
} from '../autoload';

class FakeKernel {
  constructor(
    public language: string,
    public name = 'custom',
    private _info: 'now' | 'never' = 'now'
  ) {}
  requests: KernelMessage.IExecuteRequestMsg['content'][] = [];
  get info(): Promise<{ language_info: { name: string } }> {
    if (this._info === 'never') {
      return new Promise(() => undefined); // a kernel still starting
    }
    return Promise.resolve({ language_info: { name: this.language } });
  }
  requestExecute(content: KernelMessage.IExecuteRequestMsg['content']) {
    this.requests.push(content);
    return { done: Promise.resolve() };
  }
}

class FakeContext {
  kernelChanged = new Signal<this, unknown>(this);
  statusChanged = new Signal<this, Kernel.Status>(this);
  session: { kernel: FakeKernel | null } | null;
  constructor(kernel: FakeKernel | null) {
    this.session = { kernel };
  }
  setKernel(kernel: FakeKernel | null) {
    this.session = { kernel };
    this.kernelChanged.emit(null);
  }
}

function makeLoader(context: FakeContext, enabled = () => true) {
  return new KernelAutoloader(context as unknown as ISessionContext, enabled);
}

const flush = () => new Promise(resolve => setTimeout(resolve, 0));

describe('KernelAutoloader', () => {
  it('queues the code for a kernel named python3 before its info reply, ahead of any cell', () => {
    const kernel = new FakeKernel('python', 'python3', 'never');
    const loader = makeLoader(new FakeContext(kernel));
    // synchronously: nothing the user runs next can be sent before it
    expect(kernel.requests.map(r => r.code)).toEqual([AUTOLOAD_CODE]);
    loader.dispose();
  });

  it('asks a kernel of another name for its language first', async () => {
    const other = new FakeKernel('R', 'ir');
    const loaderR = makeLoader(new FakeContext(other));
    await flush();
    expect(other.requests).toHaveLength(0);
    const named = new FakeKernel('python', 'my-env');
    const loaderPy = makeLoader(new FakeContext(named));
    expect(named.requests).toHaveLength(0); // not before the info reply
    await flush();
    expect(named.requests).toHaveLength(1);
    loaderR.dispose();
    loaderPy.dispose();
  });

  it('recognises the kernelspec names of Python kernels', () => {
    expect(
      ['python3', 'python', 'Python3', 'python3.12'].map(isPythonKernelName)
    ).toEqual([true, true, true, true]);
    expect(
      ['ir', 'xpython-like', 'javascript', undefined].map(isPythonKernelName)
    ).toEqual([false, false, false, false]);
  });

  it('loads the extension silently in a Python kernel, once', async () => {
    const kernel = new FakeKernel('python');
    const context = new FakeContext(kernel);
    const loader = makeLoader(context);
    await flush();
    context.statusChanged.emit('busy');
    context.statusChanged.emit('idle');
    await flush();
    expect(kernel.requests).toHaveLength(1);
    expect(kernel.requests[0]).toMatchObject({
      code: AUTOLOAD_CODE,
      silent: true,
      store_history: false
    });
    loader.dispose();
  });

  it('loads it again after a restart', async () => {
    const kernel = new FakeKernel('python');
    const context = new FakeContext(kernel);
    const loader = makeLoader(context);
    await flush();
    context.statusChanged.emit('restarting');
    context.statusChanged.emit('idle');
    await flush();
    context.statusChanged.emit('autorestarting');
    context.statusChanged.emit('idle');
    await flush();
    expect(kernel.requests).toHaveLength(3);
    loader.dispose();
  });

  it('loads it in a new kernel chosen for the same notebook', async () => {
    const first = new FakeKernel('python');
    const context = new FakeContext(first);
    const loader = makeLoader(context);
    await flush();
    const second = new FakeKernel('python');
    context.setKernel(second);
    await flush();
    expect(first.requests).toHaveLength(1);
    expect(second.requests).toHaveLength(1);
    loader.dispose();
  });

  it('leaves kernels of other languages alone', async () => {
    const kernel = new FakeKernel('R');
    const context = new FakeContext(kernel);
    const loader = makeLoader(context);
    await flush();
    context.statusChanged.emit('idle');
    await flush();
    expect(kernel.requests).toHaveLength(0);
    loader.dispose();
  });

  it('does nothing when the setting is off, and starts when it is turned on', async () => {
    let enabled = false;
    const kernel = new FakeKernel('python');
    const context = new FakeContext(kernel);
    const loader = makeLoader(context, () => enabled);
    await flush();
    context.statusChanged.emit('idle');
    await flush();
    expect(kernel.requests).toHaveLength(0);
    enabled = true;
    context.statusChanged.emit('idle');
    await flush();
    expect(kernel.requests).toHaveLength(1);
    loader.dispose();
  });

  it('stops listening once disposed', async () => {
    const kernel = new FakeKernel('python');
    const context = new FakeContext(null);
    const loader = makeLoader(context);
    loader.dispose();
    context.setKernel(kernel);
    context.statusChanged.emit('idle');
    await flush();
    expect(kernel.requests).toHaveLength(0);
    expect(loader.isDisposed).toBe(true);
  });

  it('waits for a kernel to exist', async () => {
    const context = new FakeContext(null);
    const loader = makeLoader(context);
    await flush();
    const kernel = new FakeKernel('python');
    context.setKernel(kernel);
    await flush();
    expect(kernel.requests).toHaveLength(1);
    loader.dispose();
  });
});

describe('isPythonKernel', () => {
  it('recognises Python kernels by their language', () => {
    expect(isPythonKernel({ language_info: { name: 'python' } })).toBe(true);
    expect(isPythonKernel({ language_info: { name: 'Python' } })).toBe(true);
    expect(isPythonKernel({ language_info: { name: 'R' } })).toBe(false);
    expect(isPythonKernel({})).toBe(false);
    expect(isPythonKernel(undefined)).toBe(false);
  });
});

describe('AUTOLOAD_CODE', () => {
  it('is the one String.raw literal the kernel-side tests run (tests/test_autoload.py)', () => {
    const source = readFileSync(join(__dirname, '..', 'autoload.ts'), 'utf8');
    const match = /export const AUTOLOAD_CODE = String\.raw`([^`]*)`;/.exec(
      source
    );
    expect(match).not.toBeNull();
    expect(match![1]).toBe(AUTOLOAD_CODE);
    expect(AUTOLOAD_CODE).not.toContain('${');
  });
});
