// babel for the ES-module JavaScript of node_modules that jest runs
// (JupyterLab's own configuration, from @jupyterlab/testing).
module.exports = require('@jupyterlab/testing/lib/babel-config');
