// Chat&Messenger API: the checks every call goes through, then the operation.
import { CAM_APIS, type CamApiName } from "../../cam/cam-apis";
import { CODE, DISABLED_USER_CODE, DISABLED_USER_MESSAGE } from "../contract";
import { CamFailure, type CamContext, type CamHandler, type CamHandlers } from "./cam-context";
import { CALL_HANDLERS } from "./cam-calls";
import { MESSAGE_HANDLERS } from "./cam-messages";
import { ROOM_HANDLERS } from "./cam-rooms";
import { USER_HANDLERS } from "./cam-users";
import { camError, type Reply } from "../http/reply";
import type { PracticeState } from "../state";

/** Every API of the wire contract (src/cam/cam-apis.ts) has its handler, in the file of its area: TypeScript insists. */
const HANDLERS: CamHandlers<CamApiName> = { ...MESSAGE_HANDLERS, ...CALL_HANDLERS, ...USER_HANDLERS, ...ROOM_HANDLERS };

export const isCamOperation = (name: string): name is CamApiName => Object.hasOwn(CAM_APIS, name);

export async function handleCam(op: CamApiName, state: PracticeState, token: string | undefined, rest: Omit<CamContext, "state" | "user">): Promise<Reply> {
  if (state.settings.maintenance) return camError(CODE.unavailable);
  const user = token ? state.userByToken(token) : undefined;
  if (!user) return camError(CODE.badToken);
  if (!user.apiEnabled) return camError(DISABLED_USER_CODE, DISABLED_USER_MESSAGE);
  if (!state.allowRequest(token!)) return camError(CODE.tooManyRequests);
  if (CAM_APIS[op].adminOnly && !user.admin) return camError(CODE.adminOnly);
  try {
    // The request's fields were read with the contract's names of this API (api-route.ts).
    return await (HANDLERS[op] as CamHandler<CamApiName>)({ state, user, ...rest });
  } catch (err) {
    if (err instanceof CamFailure) return camError(err.code, err.message);
    throw err;
  }
}
