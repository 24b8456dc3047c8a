import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_BODY_BYTES } from "../contract";
import type { Reply } from "./reply";

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.removeAllListeners("data");
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.headersSent) return;
  const body = Buffer.from(reply.body, "utf8");
  res.writeHead(reply.httpStatus, { "Content-Type": reply.contentType, "Content-Length": body.length, ...reply.headers });
  res.end(body);
}

export function sendJson(res: ServerResponse, httpStatus: number, value: unknown): void {
  send(res, { httpStatus, contentType: "application/json; charset=utf-8", body: JSON.stringify(value), processed: true });
}

export function sendHtml(res: ServerResponse, httpStatus: number, html: string): void {
  send(res, { httpStatus, contentType: "text/html; charset=utf-8", body: html, processed: true, headers: { "Cache-Control": "no-store" } });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
