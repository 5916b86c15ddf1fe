// Stands in for the `@azure/functions-core` module the Functions host injects into the Node worker:
// @azure/functions hands it each function's binding metadata and handler through registerFunction.
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
