/**
 * jsdom has no `navigator.clipboard` (and JupyterLab's jest shims add none):
 * this stands in for the browser's asynchronous clipboard, so the toolbar's
 * Copy actions run; tests spy on `writeText` to see what was copied.
 */
if (typeof navigator !== 'undefined' && !('clipboard' in navigator)) {
  Object.defineProperty(navigator, 'clipboard', {
    value: { readText: async () => '', writeText: async () => undefined },
    configurable: true
  });
}
