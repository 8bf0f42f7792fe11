// jest's global setup: write the payload types and the precompiled validator
// (src/model/*.generated.ts, git-ignored build output) from the schema before
// any test imports them, so `npx jest` works in a fresh clone and always tests
// the contract of the schema on disk.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function generateModel() {
  execFileSync(
    process.execPath,
    [join(__dirname, 'generate-payload-types.mjs')],
    { stdio: ['ignore', 'ignore', 'inherit'] }
  );
};
