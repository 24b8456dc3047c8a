// Clients of the two APIs bound to the practice server: the dialog's fields do not apply (defaults
// do), and the server's address and logins are known only once it has started.
import { CamClient } from "../cam/cam-client";
import { clientOptions } from "../cam/cam-config-settings";
import { deferredClient } from "../core/node/deferred-client";
import { CodedError, ErrorCode } from "../core/errors";
import { t } from "../core/i18n";
import { XassistClient } from "../xassist/xassist-client";
import { xassistOptions } from "../xassist/xassist-settings";
import { sharedPracticeServer } from "./shared-practice-server";

function started() {
  return sharedPracticeServer().catch((err: unknown) => {
    throw new CodedError(ErrorCode.notConfigured, t("errors.practiceStart", { reason: (err as Error)?.message ?? String(err) }));
  });
}

export function practiceCamClient() {
  return deferredClient(
    started().then((server) => new CamClient({ ...clientOptions({ serverURL: server.url }, { apiToken: server.tokens.admin }), direct: true }))
  );
}

export function practiceXassistClient() {
  return deferredClient(
    started().then((server) => {
      const { username, password, domain } = server.xassist;
      return new XassistClient({ ...xassistOptions({ serverURL: server.url, domain }, { username, password }), direct: true });
    })
  );
}
