/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON, mutated into invalid shapes on purpose */
/**
 * jsdom lacks a few browser globals Lumino touches at import time.
 */
const g = globalThis as any;

if (typeof g.DragEvent === 'undefined') {
  g.DragEvent = class DragEvent extends MouseEvent {
    readonly dataTransfer: unknown = null;
  };
}
if (typeof g.ResizeObserver === 'undefined') {
  g.ResizeObserver = class ResizeObserver {
    observe(): void {
      /* no-op */
    }
    unobserve(): void {
      /* no-op */
    }
    disconnect(): void {
      /* no-op */
    }
  };
}
if (typeof window !== 'undefined' && typeof window.matchMedia !== 'function') {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false
    }) as MediaQueryList;
}
if (typeof navigator !== 'undefined' && !('clipboard' in navigator)) {
  Object.defineProperty(navigator, 'clipboard', {
    value: { readText: async () => '', writeText: async () => undefined },
    configurable: true
  });
}
