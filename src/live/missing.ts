/**
 * What the live page's stand-ins call when a feature's code was left out of
 * the bundle an output carries (see webpack.live.config.js): the kernel
 * chooses the bundle from the payload, so this only happens when the two
 * disagree, and then the output keeps its table. No JupyterLab imports.
 */

/** Throws: `feature` is not part of this output's drawing code. */
export function missing(feature: string): never {
  throw new Error(`${feature} are not part of this output's drawing code`);
}
