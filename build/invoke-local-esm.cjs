// A serverless plugin for `serverless invoke local` with ESM bundles. serverless-esbuild writes
// handlers as .mjs (Lambda's ESM); invoke local only looks for a .js or .cjs file and fails with
// "Cannot find module". Before the invocation this writes, beside the bundle, a .cjs file whose
// handler imports the .mjs one, so the local run executes exactly the bundle Lambda would.
const { existsSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class InvokeLocalEsm {
  constructor(serverless, options) {
    this.hooks = {
      // Runs after serverless-esbuild's own hook of the same name (plugins run in listed order).
      'before:invoke:local:invoke': () => {
        const fn = serverless.service.getFunction(options.function);
        const dot = fn.handler.lastIndexOf('.');
        // serverless-esbuild points servicePath at its build folder for the invocation.
        const file = join(serverless.config.servicePath, fn.handler.slice(0, dot));
        const name = fn.handler.slice(dot + 1);
        if (!existsSync(`${file}.mjs`) || existsSync(`${file}.js`)) return;
        const base = JSON.stringify(`./${file.split('/').at(-1)}.mjs`);
        writeFileSync(
          `${file}.cjs`,
          `exports[${JSON.stringify(name)}] = (event, context) => import(${base}).then((m) => m[${JSON.stringify(name)}](event, context));\n`,
        );
      },
    };
  }
}

module.exports = InvokeLocalEsm;
