// JupyterLab's builder copies every file of `schemaDir` into the labextension,
// and the server offers every JSON file there as a settings schema. Only the
// plugin settings schemas belong there: the MIME payload contract
// (schema/payload.v*.json) is for the kernel and the renderer, not for the
// Settings Editor, so we remove it from the built output.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const dir = join('redpill', 'labextension', 'schemas', 'jupyterlab-redpill');
for (const file of readdirSync(dir)) {
  if (/^payload\.v\d+\.json$/.test(file)) {
    rmSync(join(dir, file));
    console.log(
      `not a settings schema, removed from the labextension: ${file}`
    );
  }
}
