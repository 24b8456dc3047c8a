"use strict";
// Loaded into Stryker's processes by `npm run mutate` and stryker.config.json (its NodeArgs options).
// Stryker 9 is the last major that runs on Node 20, and its mocha runner asks for mocha's
// lib/cli/* files without the .cjs extension mocha 12 gave them; this finds them with it. Drop it
// (and the override in package.json) with Stryker 10, which needs Node 22.
const Module = require("node:module");

const resolve = Module._resolveFilename;
const MOCHA_CLI_FILE = /[\\/]mocha[\\/]lib[\\/]cli[\\/][\w-]+$/;

Module._resolveFilename = function (request, ...rest) {
  try {
    return resolve.call(this, request, ...rest);
  } catch (err) {
    if (MOCHA_CLI_FILE.test(request)) return resolve.call(this, `${request}.cjs`, ...rest);
    throw err;
  }
};
