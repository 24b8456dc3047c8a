// One API request: record it, apply an injected fault, run the operation, answer.
import type { IncomingMessage, ServerResponse } from "node:http";
import { CAM_APIS, TOKEN_HEADER, type CamApiName } from "../../cam/cam-apis";
import { handleCam } from "../cam/cam-api";
import type { Fault } from "./faults";
import { parseForm, type Fields } from "./form-body";
import { send } from "./http-util";
import { camError, httpError, type Reply } from "./reply";
import type { Runtime } from "../runtime";
import { handleXassist } from "../xassist/xassist-api";
import type { RecordedRequest } from "./recorder";

/** "unknown": a path that is no API; recorded (a client calling a wrong path shows up) and answered 404 */
export type ApiTarget = { api: "cam"; op: CamApiName } | { api: "xassist" } | { api: "unknown" };

/** Node lower-cases header names. */
const TOKEN = TOKEN_HEADER.toLowerCase();

/** The form fields of the API's contract; in an unencoded body only "&<one of these>=" splits fields. */
function knownFields(op: CamApiName): readonly string[] {
  const { fields, file } = CAM_APIS[op];
  return file ? [...fields, file] : fields;
}

function camFields(op: CamApiName, query: string, body: Buffer, contentType: string): Fields | { file: unknown } {
  if (contentType.toLowerCase().startsWith("multipart/form-data")) return { file: `(multipart, ${body.length} bytes)` };
  const known = knownFields(op);
  const fromQuery = query ? parseForm(query, known) : {};
  return body.length === 0 ? fromQuery : { ...fromQuery, ...parseForm(body.toString("utf8"), known) };
}

function faultReply(fault: Fault, path: string, now: number): Reply {
  if (fault.kind === "error520") return camError(fault.code!);
  const status = fault.kind === "http500" ? 500 : fault.kind === "http502" ? 502 : 503;
  return httpError(status, `injected fault ${fault.kind}`, path, now);
}

function refuse(target: ApiTarget, method: string, path: string, now: number): Reply | undefined {
  if (target.api === "unknown") return httpError(404, `No API ${path}`, path, now);
  if (target.api === "cam" && method !== "POST" && method !== "GET") {
    return { ...httpError(405, `Request method '${method}' is not supported`, path, now), headers: { Allow: "GET, POST" } };
  }
  return undefined;
}

function finish(record: RecordedRequest, reply: Reply): void {
  const o = record.outcome;
  o.processed = reply.processed;
  o.httpStatus = reply.httpStatus;
  o.status = reply.status ?? null;
  o.code = reply.code ?? null;
}

export async function handleApi(
  rt: Runtime,
  target: ApiTarget,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
  body: Buffer
): Promise<void> {
  const apiName = target.api === "cam" ? target.op : path.slice(1);
  const contentType = req.headers["content-type"] ?? "";
  const bodyText = body.length ? body.toString("utf8") : "";
  const record = rt.recorder.add({
    time: new Date().toISOString(),
    method: req.method ?? "",
    path,
    query,
    api: target.api,
    apiName,
    headers: req.headers,
    body: bodyText,
    fields: null,
  });
  rt.live.changed();

  const refusal = refuse(target, req.method ?? "", path, rt.state.now());
  if (refusal) {
    finish(record, refusal);
    send(res, refusal);
    return;
  }
  const fault = rt.faults.take(apiName, target.api === "cam");
  if (fault) {
    record.outcome.fault = fault.kind;
    if (fault.kind === "drop") {
      req.socket.destroy();
      return;
    }
    if (fault.kind === "delay") {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          rt.timers.delete(timer);
          resolve();
        }, fault.delayMs);
        rt.timers.add(timer);
      });
      if (res.destroyed) return;
    } else if (fault.kind !== "drop-after") {
      const reply = faultReply(fault, path, rt.state.now());
      finish(record, reply);
      send(res, reply);
      return;
    }
  }

  let reply: Reply;
  if (target.api === "unknown") throw new Error("unreachable");
  if (target.api === "cam") {
    const fields = camFields(target.op, query, body, contentType);
    record.fields = fields;
    const token = req.headers[TOKEN];
    reply = await handleCam(target.op, rt.state, Array.isArray(token) ? token[0] : token, { fields: fields as Fields, body, contentType, baseUrl: rt.url });
  } else {
    try {
      record.fields = bodyText ? JSON.parse(bodyText) : null;
    } catch {
      record.fields = null;
    }
    reply = handleXassist(rt.state, rt.sessions, {
      method: req.method ?? "",
      path,
      query: new URLSearchParams(query),
      authorization: req.headers.authorization,
      body: bodyText,
    });
  }
  finish(record, reply);
  if (fault?.kind === "drop-after") {
    req.socket.destroy();
    return;
  }
  send(res, reply);
}
