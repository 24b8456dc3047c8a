import type { NodeAPI } from "node-red";
import { CodedError, ErrorCode } from "../core/errors";
import { t } from "../core/i18n";
import { sameDestination, typedSecret } from "../core/node/saved-credentials";
import { XASSIST_APIS } from "./xassist-apis";
import { XassistClient } from "./xassist-client";
import type { XassistConfigNode } from "./xassist-config-node";
import { xassistOptions, type XassistConfigProps, type XassistCredentials } from "./xassist-settings";

/** What the editor posts; the password only when the user typed a new one (saved ones never leave the runtime). */
interface TestRequest extends XassistConfigProps, XassistCredentials {
  id?: string;
}

/** Settings that decide where, and as whom, the saved password goes. */
const DESTINATION: Array<keyof XassistConfigProps> = ["serverURL", "domain", "forceLogin", "refreshPath", "proxy", "ca", "insecure", "skipHostCheck"];
const FLAGS: Array<keyof XassistConfigProps> = ["forceLogin", "insecure", "skipHostCheck"];

/**
 * POST /xassist-config/test: the config dialog's "Test connection" button.
 * It logs in once, with no retry and no other request, and answers with the outcome only.
 */
export function registerConnectionTest(RED: NodeAPI): void {
  RED.httpAdmin.post("/xassist-config/test", RED.auth.needsPermission("xassist-config.write"), async (req, res) => {
    const body = (req.body ?? {}) as TestRequest;
    let client: XassistClient | undefined;
    try {
      client = new XassistClient({ ...xassistOptions(body, credentialsFor(RED, body)), retries: 0 });
      await client.checkLogin();
      res.json({ ok: true });
    } catch (err) {
      const error = err as CodedError;
      res.json({ ok: false, code: error.code ?? "ERROR", message: error.message });
    } finally {
      await client?.close();
    }
  });
}

function credentialsFor(RED: NodeAPI, body: TestRequest): XassistCredentials {
  const password = typedSecret(body.password);
  if (password) return { username: body.username, password, proxyUsername: body.proxyUsername, proxyPassword: typedSecret(body.proxyPassword) };
  return savedCredentials(RED, body);
}

/** The saved password only goes where, and for whom, it was saved: anything else needs it typed again. */
function savedCredentials(RED: NodeAPI, body: TestRequest): XassistCredentials {
  if (!body.id) return {};
  const node = RED.nodes.getNode(body.id) as XassistConfigNode | null;
  const saved = (RED.nodes.getCredentials(body.id) as XassistCredentials | undefined) ?? {};
  const deployed = node?.settings && withDefaults(node.settings);
  const sameUser = !body.username?.trim() || body.username.trim() === (saved.username ?? "").trim();
  if (!sameUser || !sameDestination(deployed, withDefaults(body), DESTINATION, FLAGS)) {
    throw new CodedError(ErrorCode.notConfigured, t("xassist-config:errors.config.retypePassword", { field: "password" }), { field: "password" });
  }
  return saved;
}

/** A blank refresh path is the default one. */
function withDefaults(props: XassistConfigProps): XassistConfigProps {
  return { ...props, refreshPath: (props.refreshPath ?? "").trim() || XASSIST_APIS.refresh.path };
}
