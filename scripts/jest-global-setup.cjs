// jest's global setup: write the precompiled payload validator
// (src/model/validate.generated.ts, git-ignored build output) from the schema
// before any test imports it, so `npx jest` works in a fresh clone and always
// tests the validator of the schema on disk.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function generateValidator() {
  execFileSync(
    process.execPath,
    [join(__dirname, 'generate-payload-types.mjs'), '--validator'],
    { stdio: ['ignore', 'ignore', 'inherit'] }
  );
};
