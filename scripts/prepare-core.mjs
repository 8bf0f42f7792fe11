// Prepare the "core" package description that @jupyterlab/builder's
// build-labextension needs to know which packages JupyterLab itself provides
// (shared singletons, not bundled into our extension).
//
// `jupyter labextension build` normally passes the staging folder of the
// installed JupyterLab; that command now wraps a different builder that needs
// network access. We take the same file from @jupyterlab/core-meta, pinned in
// package.json to the JupyterLab version we build and test against.
import { mkdirSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const metaDir = dirname(require.resolve('@jupyterlab/core-meta/package.json'));
const target = join('build', 'core');
mkdirSync(target, { recursive: true });
copyFileSync(join(metaDir, 'core.package.json'), join(target, 'package.json'));
console.log(`core package description: ${join(target, 'package.json')}`);
