"use strict";
// What both server nodes' dialogs share, at its edges: the server URL, the proxy URL and its login, the
// CA text and the response size limit. Spaces around a value are not part of it, blank means "not
// set", and each refusal is NOT_CONFIGURED naming the field it is about.
const assert = require("node:assert/strict");
const { checkedServerURL, connectionSettings, proxyURL } = require("../../nodes/core/node/server-settings");
const { selfSignedCertificate } = require("../support/reliability-support");

/** The error fn throws, which must be NOT_CONFIGURED for `field` with `message`. */
function assertRefused(fn, field, message) {
  let error;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  assert.ok(error, "expected a refusal");
  assert.equal(error.code, "NOT_CONFIGURED", error.message);
  assert.equal(error.cause.field, field);
  assert.match(error.message, message);
}

const NOT_A_URL = /^(serverURL|proxy): enter a URL that starts with https:\/\/ or http:\/\/$/;

describe("server settings at their edges", () => {
  describe("server URL", () => {
    it("keeps the URL without the spaces pasted around it", () => {
      assert.equal(checkedServerURL("  https://chat.example.com/api \n"), "https://chat.example.com/api");
      assert.equal(checkedServerURL("HTTP://127.0.0.1:8080"), "HTTP://127.0.0.1:8080");
    });

    it("refuses what is not an http(s):// URL, also what the URL parser would take", () => {
      for (const value of [undefined, "", "   ", "chat.example.com", "ftp://chat.example.com", "http:chat.example.com", "https:/chat.example.com"]) {
        assertRefused(() => checkedServerURL(value), "serverURL", NOT_A_URL);
      }
    });

    it("refuses an http(s):// start that is no URL", () => {
      assertRefused(() => checkedServerURL("https://chat example.com"), "serverURL", NOT_A_URL);
      assertRefused(() => checkedServerURL("http://[::1"), "serverURL", NOT_A_URL);
    });
  });

  describe("proxy", () => {
    it("is none when blank or only spaces", () => {
      assert.equal(proxyURL(undefined, {}), undefined);
      assert.equal(proxyURL("", {}), undefined);
      assert.equal(proxyURL("   ", { proxyUsername: "user" }), undefined);
    });

    it("takes an http:// or https:// proxy, spaces around it dropped", () => {
      assert.equal(proxyURL(" http://proxy.example.com:8080 ", {}), "http://proxy.example.com:8080/");
      assert.equal(proxyURL("https://proxy.example.com:8443", {}), "https://proxy.example.com:8443/");
    });

    it("refuses a proxy that is no URL, or of another scheme, naming the proxy field", () => {
      for (const value of ["proxy.example.com:8080", "http://proxy example.com", "socks5://proxy.example.com:1080", "ftp://proxy.example.com"]) {
        assertRefused(() => proxyURL(value, {}), "proxy", NOT_A_URL);
      }
    });

    it("refuses a login in the proxy URL, a user name alone too", () => {
      for (const value of ["http://user:secret@proxy.example.com:8080", "http://user@proxy.example.com:8080", "http://:secret@proxy.example.com:8080"]) {
        assertRefused(() => proxyURL(value, {}), "proxy", /^proxy: put the proxy's user name and password in their own fields/);
      }
    });

    it("adds the login from the credentials, encoded, and no password when none is given", () => {
      assert.equal(
        proxyURL("http://proxy.example.com:8080", { proxyUsername: "dom\\user", proxyPassword: "p@ss:w/rd" }),
        "http://dom%5Cuser:p%40ss%3Aw%2Frd@proxy.example.com:8080/"
      );
      assert.equal(proxyURL("http://proxy.example.com:8080", { proxyUsername: "user" }), "http://user@proxy.example.com:8080/");
      assert.equal(proxyURL("http://proxy.example.com:8080", { proxyPassword: "alone" }), "http://proxy.example.com:8080/");
    });
  });

  describe("response size limit", () => {
    const limit = (maxResponse) => connectionSettings({ maxResponse }, {}).maxResponseBytes;

    it("leaves the transport's defaults when blank or only spaces", () => {
      for (const value of [undefined, null, "", "  ", "\t"]) assert.equal(limit(value), undefined, JSON.stringify(value));
    });

    it("is entered in MB, spaces around the number allowed, from 0.1 to 1024", () => {
      assert.equal(limit(" 2 "), 2 * 1024 * 1024);
      assert.equal(limit(0.1), Math.round(0.1 * 1024 * 1024));
      assert.equal(limit("1024"), 1024 * 1024 * 1024);
      for (const value of ["0.09", 1025, "two", "0"]) {
        assertRefused(() => limit(value), "maxResponse", /^maxResponse: must be a number from 0\.1 to 1024\.$/);
      }
    });
  });

  describe("CA certificate", () => {
    let pem;
    before(() => (pem = selfSignedCertificate().cert));
    const ca = (text) => connectionSettings({ ca: text }, {}).ca;
    const UNREADABLE = /^ca: the CA certificate cannot be read\. Paste it in PEM form/;

    it("is none when blank, and kept as pasted (spaces around it dropped) when every certificate reads", () => {
      assert.equal(ca(undefined), undefined);
      assert.equal(ca("  \n"), undefined);
      assert.equal(ca(`\n${pem}\n`), pem.trim());
      assert.equal(ca(`${pem}\n${pem}`), `${pem}\n${pem}`.trim());
    });

    it("refuses text without a PEM certificate", () => {
      assertRefused(() => ca("MIIBszCCAVmgAwIBAgIU"), "ca", UNREADABLE);
    });

    it("refuses a bundle in which one certificate cannot be read, even if another can", () => {
      const broken = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----";
      assertRefused(() => ca(`${pem}\n${broken}`), "ca", UNREADABLE);
      assertRefused(() => ca(`${broken}\n${pem}`), "ca", UNREADABLE);
    });
  });
});
