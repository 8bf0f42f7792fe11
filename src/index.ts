/**
 * jupyterlab-redpill: public API (no JupyterLab application code here).
 */
export * from './tokens';
export { RendererSettings, rendererSettings } from './settings';
