"use strict";
// What each Chat&Messenger panel accepts and refuses, without a browser: each nodes/<type>.html runs
// in a vm with a stub RED and $ (test/support/panels.js). What every panel must have (its table
// entry's properties, defaults and limits, form, texts, help, look) is checked for every node by the
// rules test, test/unit/adding-an-api.test.js.
const assert = require("node:assert/strict");
const { loadPanel, nodeWith, isValid } = require("../support/panels");

describe("editor panels (static): what the Chat&Messenger panels accept", function () {
  describe("validation marks bad values", function () {
    // undefined: a property missing from an imported flow, where the runtime uses its default.
    const cases = [
      [
        "cam-config",
        "serverURL",
        [
          ["https://chat.example.com", true],
          ["http://10.0.0.5:8080", true],
          ["", false],
          ["chat.example.com", false],
        ],
      ],
      [
        "cam-config",
        "timeout",
        [
          ["", true],
          ["ten", false],
          ["-1", false],
        ],
      ],
      [
        "cam-config",
        "proxy",
        [
          ["", true],
          ["http://proxy.example.com:3128", true],
          ["proxy:3128", false],
        ],
      ],
      [
        "cam-send-message",
        "recipients",
        [
          ["", false],
          ["a@example.com", true],
          ["a@example.com, b@example.com;c@example.com", true],
          ["anna", false],
          ["a@example.com, bob", false],
          ["", true, { sendTo: "room" }],
          ["payload.to", true, { recipientsType: "msg" }],
          ['["a@example.com"', false, { recipientsType: "json" }],
          [undefined, true],
        ],
      ],
      [
        "cam-send-message",
        "room",
        [
          ["", true],
          ["", false, { sendTo: "room" }],
          ["sales", true, { sendTo: "room" }],
          ["payload.room", true, { sendTo: "room", roomType: "msg" }],
        ],
      ],
      [
        "cam-send-message",
        "message",
        [
          ["payload", true],
          ["", false],
          ["Hello", true, { messageType: "str" }],
        ],
      ],
      [
        "cam-send-messages",
        "batchSize",
        [
          [undefined, true],
          ["1.5", false],
          ["many", false],
          ["", false],
        ],
      ],
      [
        "cam-send-messages",
        "messages",
        [
          [undefined, true],
          ["payload", true],
          ["", false],
          ["[1,", false, { messagesType: "json" }],
          ['[{"message":"x","send":"a"}]', true, { messagesType: "json" }],
        ],
      ],
      [
        "cam-create-quick-call",
        "expires",
        [
          [undefined, true],
          ["1h", true],
          ["30m", true],
          ["1.5d", true],
          ["2026-12-31T18:00", true],
          ["4102444800000", true],
          ["soon", false],
          ["", false],
          ["1700000000", false],
          ["1700000000", false, { expiresType: "num" }],
          ["4102444800000", true, { expiresType: "num" }],
          ["payload.until", true, { expiresType: "msg" }],
        ],
      ],
      [
        "cam-call-stats",
        "roomName",
        [
          ["payload", true],
          ["", false],
          ["abc123", true, { roomNameType: "str" }],
        ],
      ],
      [
        "cam-export-users",
        "path",
        [
          ["users.csv", true],
          ["", false],
        ],
      ],
      [
        "cam-update-users",
        "csv",
        [
          ["payload", true],
          ['[{"email":"a@example.com"}]', true, { csvType: "json" }],
          ["[{", false, { csvType: "json" }],
        ],
      ],
      [
        "cam-update-users",
        "filename",
        [
          ["", true],
          ["new.csv", true],
        ],
      ],
      [
        "cam-update-chat-room",
        "chatRoom",
        [
          ["payload", true],
          ['{"name":"X"}', true, { chatRoomType: "json" }],
          ['{"name":', false, { chatRoomType: "json" }],
        ],
      ],
      [
        "cam-conference-rooms",
        "api",
        [
          [undefined, true],
          ["getConferenceRooms", true],
          ["getSomethingElse", false],
        ],
      ],
      [
        "cam-room-status",
        "period",
        [
          [undefined, true],
          ["", true],
          ["today", true],
          ["month", true],
          ["201908", true],
          ["20190801", true],
          ["2019-08-01", true],
          ["2019-08-01T09:00:00Z", true],
          ["201913", false],
          ["20190231", false],
          ["yesterday", false],
          ["", true, { periodType: "date" }],
        ],
      ],
      [
        "cam-api",
        "apiName",
        [
          [undefined, false],
          ["getConferenceRooms", true],
          ["send_Message2", true],
          ["", false],
          ["get rooms", false],
          ["../admin", false],
          ["2fa", false],
          ["payload.api", true, { apiNameType: "msg" }],
        ],
      ],
      [
        "cam-api",
        "fields",
        [
          [undefined, true],
          ["payload", true],
          ["{}", true, { fieldsType: "json" }],
          ["{x}", false, { fieldsType: "json" }],
        ],
      ],
    ];
    for (const [type, prop, values] of cases) {
      it(`${type}: ${prop}`, function () {
        const panel = loadPanel(type);
        for (const [value, valid, props] of values) {
          assert.equal(isValid(panel, prop, value, props), valid, `${prop} = ${JSON.stringify(value)} ${JSON.stringify(props || {})}`);
        }
      });
    }

    it("explains why in the node's own words", function () {
      const panel = loadPanel("cam-api");
      const answer = panel.def.defaults.apiName.validate.call(nodeWith(panel, {}), "get rooms", {});
      assert.equal(answer, panel.catalogue["cam-api"].validation.apiName);
    });
  });
});
