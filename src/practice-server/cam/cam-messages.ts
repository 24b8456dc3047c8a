// sendMessage and sendMessages
import { DIRECT_PANEL } from "../../cam/cam-apis";
import { CODE, SUCCESS_BODY } from "../contract";
import { asRecord, badRequest, CamFailure, jsonField, optionalBoolean, requiredString, resolveUsers, type CamContext, type CamHandlers } from "./cam-context";
import { splitEmails } from "../http/form-body";
import { ok, type Reply } from "../http/reply";
import type { ChatRoom } from "../types";

interface Delivery {
  room?: ChatRoom;
  recipients: string[];
  text: string;
  sealed: boolean;
}

function usersOf(value: unknown, what: string): string[] {
  if (value === undefined || value === null || value === "") return [];
  const emails = splitEmails(value);
  if (!emails) throw badRequest(`${what} must be a comma-separated string of e-mail addresses`);
  return emails;
}

/** target "messenger" = direct message to `users`; any other = a room, `users` are mentioned */
function delivery(ctx: CamContext, target: string, text: string, sealed: boolean, users: string[]): Delivery {
  const recipients = resolveUsers(ctx.state, users).map((u) => u.email);
  if (target === DIRECT_PANEL) {
    if (recipients.length === 0) throw badRequest("a direct message needs users");
    return { recipients, text, sealed };
  }
  const room = ctx.state.roomByName(target);
  if (!room) throw new CamFailure(CODE.groupMissing, `グループが存在しません。 (${target})`);
  return { room, recipients, text, sealed };
}

function deliver(ctx: CamContext, d: Delivery, via: "sendMessage" | "sendMessages"): void {
  const state = ctx.state;
  const message = { id: state.nextMessageId(), time: state.now(), from: ctx.user.email, text: d.text, sealed: d.sealed, users: d.recipients, via };
  if (d.room) state.addRoomMessage(d.room.id, message);
  else for (const to of d.recipients) state.addDirectMessage(to, message);
}

function sendMessage(ctx: CamContext<"sendMessage">): Reply {
  const m = asRecord(jsonField(ctx.fields, "message"), "message");
  const target = requiredString(m.panelName ?? m.send, "panelName").trim();
  if (!target) throw badRequest("panelName is empty");
  const text = requiredString(m.message, "message.message");
  const sealed = optionalBoolean(m.isOpened, "isOpened") ?? false;
  const purposes = m.generalPurposes === undefined ? {} : asRecord(m.generalPurposes, "generalPurposes");
  const users = usersOf(purposes.users ?? m.users, "generalPurposes.users");
  deliver(ctx, delivery(ctx, target, text, sealed, users), "sendMessage");
  ctx.state.changed();
  return ok(SUCCESS_BODY.sendMessage());
}

function sendMessages(ctx: CamContext<"sendMessages">): Reply {
  // the German manual's messages.json says message=[...]
  const name = ctx.fields.messages !== undefined ? "messages" : "message";
  const list = jsonField(ctx.fields, name);
  if (!Array.isArray(list)) throw badRequest("messages must be a JSON array");
  // all items are checked before any is delivered
  const deliveries = list.map((item, i) => {
    const m = asRecord(item, `messages[${i}]`);
    const text = requiredString(m.message, `messages[${i}].message`);
    const property = m.property === undefined ? {} : asRecord(m.property, `messages[${i}].property`);
    const users = usersOf(property.users ?? m.users, `messages[${i}].property.users`);
    const target = m.send === undefined ? DIRECT_PANEL : requiredString(m.send, `messages[${i}].send`).trim();
    const sealed = optionalBoolean(m.isOpened, `messages[${i}].isOpened`) ?? false;
    return delivery(ctx, target, text, sealed, users);
  });
  for (const d of deliveries) deliver(ctx, d, "sendMessages");
  ctx.state.changed();
  return ok(SUCCESS_BODY.sendMessages(deliveries.length));
}

export const MESSAGE_HANDLERS: CamHandlers<"sendMessage" | "sendMessages"> = { sendMessage, sendMessages };
