import type { NodeAPI } from "node-red";
import { CamClient } from "./cam-client";
import { clientOptions, type CamConfigProps } from "./cam-config-settings";
import { CamError, ErrorCode } from "./errors";
import { t } from "./i18n";

/** What the editor posts; apiToken only when the user typed a new one (the saved one never leaves the runtime). */
interface TestRequest extends CamConfigProps {
  id?: string;
  apiToken?: string;
}

/**
 * POST /cam-config/test: the config dialog's "Test connection" button.
 * It calls getConferenceMaster, which any valid token may call, and answers with the outcome only.
 */
export function registerConnectionTest(RED: NodeAPI): void {
  RED.httpAdmin.post("/cam-config/test", RED.auth.needsPermission("cam-config.write"), async (req, res) => {
    const body = (req.body ?? {}) as TestRequest;
    const typed = body.apiToken && body.apiToken !== "__PWRD__" ? body.apiToken : undefined;
    let client: CamClient | undefined;
    try {
      client = new CamClient({ ...clientOptions(body, typed ?? savedToken(RED, body)), retries: 0 });
      const answer = await client.call({ apiName: "getConferenceMaster" });
      const rooms = (answer.data as { conferenceRooms?: unknown[] }).conferenceRooms;
      res.json({ ok: true, rooms: Array.isArray(rooms) ? rooms.length : 0 });
    } catch (err) {
      const error = err as CamError;
      res.json({ ok: false, code: error.code ?? "ERROR", message: error.message });
    } finally {
      await client?.close();
    }
  });
}

/** The saved token only goes to the server it was saved for: testing another URL needs the token typed again. */
function savedToken(RED: NodeAPI, body: TestRequest): string | undefined {
  if (!body.id) return undefined;
  const deployed = RED.nodes.getNode(body.id) as { serverURL?: string } | null;
  if (!deployed || deployed.serverURL !== (body.serverURL ?? "").trim()) {
    throw new CamError(ErrorCode.notConfigured, t("errors.config.retypeToken", { field: "apiToken" }), { field: "apiToken" });
  }
  return (RED.nodes.getCredentials(body.id) as { apiToken?: string } | undefined)?.apiToken;
}
