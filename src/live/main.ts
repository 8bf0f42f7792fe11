/**
 * The entry of the live bundles (webpack.live.config.js): sets
 * `window.redpillLive`, the API the kernel's bootstrap script calls
 * (`draw`, see ./index.ts). No JupyterLab imports.
 */
import { draw } from './index';

/** What a live bundle puts on `window` when it runs. */
export interface IRedpillLive {
  /** Draw a payload into its host (./index.ts). */
  draw: typeof draw;
}

(window as unknown as { redpillLive: IRedpillLive }).redpillLive = { draw };
