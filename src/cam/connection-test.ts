import type { NodeAPI } from "node-red";
import { CamClient } from "./cam-client";
import type { ProxyCredentials } from "../core/node/server-settings";
import { clientOptions, type CamConfigProps } from "./cam-config-settings";
import type { CamConfigNode } from "./cam-config-node";
import { CodedError, ErrorCode } from "../core/errors";
import { t } from "../core/i18n";
import { sameDestination, typedSecret } from "../core/node/saved-credentials";

/** What the editor posts; secrets only when the user typed new ones (saved ones never leave the runtime). */
interface TestRequest extends CamConfigProps, ProxyCredentials {
  id?: string;
  apiToken?: string;
}

type Credentials = { apiToken?: string } & ProxyCredentials;

/** Settings that decide where the saved token goes. */
const DESTINATION: Array<keyof CamConfigProps> = ["serverURL", "proxy", "ca", "insecure", "skipHostCheck"];
const FLAGS: Array<keyof CamConfigProps> = ["insecure", "skipHostCheck"];

/**
 * POST /cam-config/test: the config dialog's "Test connection" button.
 * It calls getConferenceMaster, which any valid token may call, and answers with the outcome only.
 */
export function registerConnectionTest(RED: NodeAPI): void {
  RED.httpAdmin.post("/cam-config/test", RED.auth.needsPermission("cam-config.write"), async (req, res) => {
    const body = (req.body ?? {}) as TestRequest;
    let client: CamClient | undefined;
    try {
      client = new CamClient({ ...clientOptions(body, credentialsFor(RED, body)), retries: 0 });
      const answer = await client.call({ apiName: "getConferenceMaster" });
      const rooms = (answer.data as { conferenceRooms?: unknown[] }).conferenceRooms;
      res.json({ ok: true, rooms: Array.isArray(rooms) ? rooms.length : 0 });
    } catch (err) {
      const error = err as CodedError;
      res.json({ ok: false, code: error.code ?? "ERROR", message: error.message });
    } finally {
      await client?.close();
    }
  });
}

function credentialsFor(RED: NodeAPI, body: TestRequest): Credentials {
  const apiToken = typedSecret(body.apiToken);
  if (apiToken) return { apiToken, proxyUsername: body.proxyUsername, proxyPassword: typedSecret(body.proxyPassword) };
  return savedCredentials(RED, body);
}

/** The saved token only goes where it was saved for: testing another server, proxy or TLS setting needs it typed again. */
function savedCredentials(RED: NodeAPI, body: TestRequest): Credentials {
  if (!body.id) return {};
  const deployed = (RED.nodes.getNode(body.id) as CamConfigNode | null)?.settings;
  if (!sameDestination(deployed, body, DESTINATION, FLAGS)) {
    const message = t("errors.config.retypeToken", { field: "apiToken" });
    // Stryker disable next-line ObjectLiteral,StringLiteral: the endpoint answers the code and the message (which names the field) only, not the details
    throw new CodedError(ErrorCode.notConfigured, message, { field: "apiToken" });
  }
  return (RED.nodes.getCredentials(body.id) as Credentials | undefined) ?? {};
}
