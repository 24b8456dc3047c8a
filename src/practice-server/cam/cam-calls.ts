// createQuickCall and getCallStats
import { PRESENTER_PASS_LENGTH, QUICK_CALL_SID_LENGTH, SHARE_PREFIX, UNKNOWN_CONFERENCE_CODE } from "../contract";
import { badRequest, CamFailure, type CamContext, type CamHandlers } from "./cam-context";
import { randomToken } from "../ids";
import { ok, type Reply } from "../http/reply";
import type { PracticeState } from "../state";
import type { QuickCall } from "../types";

function createQuickCall(ctx: CamContext<"createQuickCall">): Reply {
  const expired = (ctx.fields.expiredDate ?? "").trim();
  if (!/^\d{1,15}$/.test(expired)) throw badRequest("expiredDate must be Unix time in milliseconds");
  const call: QuickCall = {
    sid: randomToken(QUICK_CALL_SID_LENGTH),
    title: ctx.fields.title ?? "",
    password: ctx.fields.password ?? "",
    presenterPass: randomToken(PRESENTER_PASS_LENGTH),
    creationDate: ctx.state.now(),
    expiredDate: Number(expired),
    createdBy: ctx.user.email,
    participants: [],
  };
  ctx.state.data.quickCalls.push(call);
  ctx.state.changed();
  return ok({ sid: call.sid, url: shareUrl(ctx.baseUrl, call.sid), presenterPass: call.presenterPass });
}

export const shareUrl = (baseUrl: string, sid: string) => `${baseUrl}${SHARE_PREFIX}${sid}`;

export function findQuickCall(state: PracticeState, sid: string): QuickCall | undefined {
  return state.data.quickCalls.find((c) => c.sid === sid);
}

export function callInProgress(state: PracticeState, call: QuickCall): boolean {
  return call.participants.length > 0 && state.now() < call.expiredDate;
}

function getCallStats(ctx: CamContext<"getCallStats">): Reply {
  const sid = (ctx.fields.roomName ?? "").trim();
  if (!sid) throw badRequest("roomName is required");
  const call = findQuickCall(ctx.state, sid);
  if (!call) throw new CamFailure(UNKNOWN_CONFERENCE_CODE, `Web会議が存在しません。 (${sid})`);
  return ok({
    roomName: call.sid,
    title: call.title,
    creationDate: call.creationDate,
    expiredDate: call.expiredDate,
    participants: call.participants.length,
    inProgress: callInProgress(ctx.state, call),
  });
}

export const CALL_HANDLERS: CamHandlers<"createQuickCall" | "getCallStats"> = { createQuickCall, getCallStats };
