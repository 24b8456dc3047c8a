"use strict";
// Preload for `node-red-dev validate` (node -r scripts/validate-offline.js ...): the Flow Library
// catalogue is not reachable from here, so its one URL answers an empty catalogue. Every other
// request (the npm registry for P06, P07, D02, D03) goes out as usual.
const path = require("node:path");

const CATALOGUE = "https://catalogue.nodered.org/catalogue.json";
const devTool = path.dirname(require.resolve("node-red-dev/package.json"));
const axios = require(require.resolve("axios", { paths: [devTool] }));

const get = axios.get.bind(axios);
axios.get = (url, ...rest) => (url === CATALOGUE ? Promise.resolve({ status: 200, data: { modules: [] } }) : get(url, ...rest));
