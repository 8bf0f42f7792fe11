/**
 * The front-end plugin: wiring only. It loads the `redpill` IPython extension
 * in Python kernels of notebooks and consoles (see `autoload.ts`), honouring
 * the `autoload` setting of `schema/settings/plugin.json`, and feeds the renderer
 * settings (address format, memory view, maximum objects) to every redpill
 * output on the page through the shared `rendererSettings`, live.
 *
 * The renderer itself is the MIME extension in `mime.ts`.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import type { ISessionContext } from '@jupyterlab/apputils';
import { IConsoleTracker } from '@jupyterlab/console';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { Widget } from '@lumino/widgets';

import { KernelAutoloader } from './autoload';
import { optionsFromSettings, rendererSettings } from './settings';

const PLUGIN_ID = 'jupyterlab-redpill:plugin';

type SessionWidget = Widget & { sessionContext: ISessionContext };

/** The front-end plugin JupyterLab loads (the default export). */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Loads the %%redpill magic in Python kernels when they start or restart.',
  autoStart: true,
  optional: [INotebookTracker, IConsoleTracker, ISettingRegistry],
  activate: async (
    _app: JupyterFrontEnd,
    notebooks: INotebookTracker | null,
    consoles: IConsoleTracker | null,
    settingRegistry: ISettingRegistry | null
  ): Promise<void> => {
    let enabled = true;
    if (settingRegistry) {
      try {
        const settings = await settingRegistry.load(PLUGIN_ID);
        const update = () => {
          enabled = settings.get('autoload').composite !== false;
          rendererSettings.update(
            optionsFromSettings(
              settings.composite as unknown as Record<string, unknown>
            )
          );
        };
        update();
        settings.changed.connect(update);
      } catch (reason) {
        console.warn('jupyterlab-redpill: settings not loaded', reason);
      }
    }

    const watch = (widget: SessionWidget) => {
      const loader = new KernelAutoloader(widget.sessionContext, () => enabled);
      widget.disposed.connect(() => loader.dispose());
    };
    notebooks?.forEach(watch);
    notebooks?.widgetAdded.connect((_, panel) => watch(panel));
    consoles?.forEach(panel => watch(panel.console));
    consoles?.widgetAdded.connect((_, panel) => watch(panel.console));
  }
};

export default plugin;
