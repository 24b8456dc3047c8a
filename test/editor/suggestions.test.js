"use strict";
// Chat room, Recipients and Mention of send message suggest what the selected server node knows, as
// the user types (GET cam-config/known-values, asked once per dialog): on one's own deployed server
// the users of export users, on the practice server its users and chat rooms.
const assert = require("node:assert/strict");
const { closeSharedEnvironment, useSharedEditor } = require("../support/browser");

after(closeSharedEnvironment); // a root hook: once every editor test file is done

describe("editor: send message suggests people and chat rooms as you type", function () {
  this.timeout(120000);
  const bed = useSharedEditor();

  const suggestions = () => bed.page.locator(".red-ui-autoComplete-container");

  /** Types at the end of a typed input's text as a user does, key by key. */
  async function type(field, text) {
    const input = bed.editor.typed(field).locator("input.red-ui-typedInput-input");
    await input.click();
    await input.press("End");
    await input.pressSequentially(text, { delay: 30 });
    return input;
  }

  /** Waits for the suggestion `text` and clicks it. */
  async function pick(text) {
    const entry = suggestions().getByText(text, { exact: true });
    await entry.waitFor();
    await entry.click();
    await suggestions().waitFor({ state: "detached" });
  }

  it('on one\'s own deployed server: Recipients suggests hanako@example.com for "ha", then completes the last address of the list', async () => {
    const { editor, page } = bed;
    const asked = [];
    page.on("request", (req) => req.url().includes("cam-config/known-values") && asked.push(req.url()));
    const send = await editor.drop("cam-send-message");
    await editor.edit(send);
    // The environment's own server, deployed, with an admin token.
    await editor.setField("server", bed.env.configs["cam-config"]);
    assert.deepEqual(await editor.readTyped("recipients"), ["str", ""]);

    await type("recipients", "ha");
    await suggestions().getByText("hanako@example.com", { exact: true }).waitFor();
    assert.ok(await suggestions().getByText("佐藤 花子").isVisible(), "the name next to the address");
    await editor.screenshot("suggestions-recipients", editor.tray());
    await pick("hanako@example.com");
    assert.deepEqual(await editor.readTyped("recipients"), ["str", "hanako@example.com"]);

    await type("recipients", ", 太郎");
    await pick("taro@example.com");
    assert.deepEqual(await editor.readTyped("recipients"), ["str", "hanako@example.com, taro@example.com"]);
    assert.equal(await editor.hasError("recipients", "node-input", false), false);
    assert.equal(asked.length, 1, "asked once for the dialog");
    assert.doesNotMatch(asked[0], /token/i);
    await editor.cancel();
    assert.deepEqual(editor.errors.take(), []);
  });

  it("on the practice server: Chat room suggests its chat rooms", async () => {
    const { editor, page } = bed;
    const send = await editor.drop("cam-send-message");
    await editor.edit(send);
    await editor.editConfig("server", "new"); // a new server node starts on the practice server
    const config = await page.evaluate(() => $("#node-config-dialog-ok").closest(".red-ui-tray").length && RED.editor.getEditStack().slice(-1)[0].id);
    await editor.done();
    try {
      await editor.setField("sendTo", "room");
      await type("room", "gen");
      await editor.screenshot("suggestions-room", editor.tray());
      await pick("general");
      assert.deepEqual(await editor.readTyped("room"), ["str", "general"]);
      await type("recipients", "op");
      await pick("operator@example.com");
      assert.deepEqual(await editor.readTyped("recipients"), ["str", "operator@example.com"]);
      await editor.cancel();
    } finally {
      // leave the environment's server nodes as they were for the other editor tests
      await page.evaluate((id) => {
        const node = RED.nodes.node(id);
        if (node) RED.nodes.remove(id);
        RED.sidebar.config.refresh();
      }, config);
    }
    assert.deepEqual(editor.errors.take(), []);
  });
});
