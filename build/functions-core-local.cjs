// Stands in for the `@azure/functions-core` module the Functions host injects into the Node worker:
// @azure/functions hands it each function's binding metadata and handler through registerFunction.
// Used where there is no host: build/invoke-azure.ts (local invocation), the registration and
// package tests.
const registered = [];
module.exports = {
  registered,
  registerFunction(metadata, callback) {
    registered.push({ metadata, callback });
    return { dispose() {} };
  },
  setProgrammingModel() {},
  getProgrammingModel() {
    return undefined;
  },
  registerHook() {
    return { dispose() {} };
  },
  log() {},
};
