// ESLint 9 flat config: typescript-eslint for src/, plain JavaScript rules for the tests, the scripts
// and the scripts inside the editor panels (nodes/*.html, through eslint-plugin-html). Formatting is
// Prettier's job (.prettierrc.json): eslint-config-prettier turns off the rules that would disagree.
const path = require("node:path");
const { defineConfig } = require("eslint/config");
const { includeIgnoreFile } = require("@eslint/compat");
const js = require("@eslint/js");
const tseslint = require("typescript-eslint");
const html = require("eslint-plugin-html");
const prettier = require("eslint-config-prettier");
const globals = require("globals");

/** What the Node-RED editor defines for the panels' scripts, and CamEditor from resources/editor.js. */
const editorGlobals = { RED: "readonly", $: "readonly", jQuery: "readonly", CamEditor: "readonly" };

/** Unused arguments and caught errors are fine when named with a leading underscore. */
const unused = { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" };

module.exports = defineConfig(
  // The build output and what CI installs.
  includeIgnoreFile(path.join(__dirname, ".gitignore")),
  { ignores: [".ci/cache/"] },
  {
    files: ["src/**/*.ts"],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", unused],
      // Node-RED's idiom: `const node = this` in a node's constructor, used by its handlers.
      "@typescript-eslint/no-this-alias": ["error", { allowedNames: ["node"] }],
      // Our patterns name control characters on purpose: they reject pasted line breaks and the like.
      "no-control-regex": "off",
    },
  },
  {
    files: ["**/*.js"],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
    rules: { "no-unused-vars": ["error", unused] },
  },
  {
    files: ["test/**/*.js"],
    languageOptions: { globals: globals.mocha },
  },
  {
    // Functions these files hand to Playwright run in the editor's page.
    files: ["test/editor/**/*.js", "test/support/browser.js", "scripts/screenshots.js"],
    languageOptions: { globals: { ...globals.browser, ...editorGlobals } },
  },
  {
    files: ["nodes/*.html"],
    plugins: { html },
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: "script",
      globals: { ...globals.browser, ...editorGlobals },
    },
    rules: { "no-unused-vars": ["error", unused] },
  },
  prettier
);
