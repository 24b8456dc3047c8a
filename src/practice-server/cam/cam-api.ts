// Chat&Messenger API: the checks every call goes through, then the operation.
import { ADMIN_ONLY, CAM_OPERATIONS, CODE, DISABLED_USER_CODE, DISABLED_USER_MESSAGE, type CamOperation } from "../contract";
import { CamFailure, type CamContext } from "./cam-context";
import { createQuickCall, getCallStats } from "./cam-calls";
import { sendMessage, sendMessages } from "./cam-messages";
import { getConferenceRooms, getConferenceRoomStatus, updateChatRoom } from "./cam-rooms";
import { exportUsers, updateUsersCSV } from "./cam-users";
import { camError, type Reply } from "../http/reply";
import type { PracticeState } from "../state";

const HANDLERS: Record<CamOperation, (ctx: CamContext) => Reply | Promise<Reply>> = {
  sendMessage,
  sendMessages,
  createQuickCall,
  getCallStats,
  exportUsers,
  updateUsersCSV,
  updateChatRoom,
  getConferenceRooms,
  getConferenceMaster: getConferenceRooms,
  getConferenceRoomStatus,
};

const OPERATIONS: ReadonlySet<string> = new Set(CAM_OPERATIONS);
export const isCamOperation = (name: string): name is CamOperation => OPERATIONS.has(name);

export async function handleCam(op: CamOperation, state: PracticeState, token: string | undefined, rest: Omit<CamContext, "state" | "user">): Promise<Reply> {
  if (state.settings.maintenance) return camError(CODE.unavailable);
  const user = token ? state.userByToken(token) : undefined;
  if (!user) return camError(CODE.badToken);
  if (!user.apiEnabled) return camError(DISABLED_USER_CODE, DISABLED_USER_MESSAGE);
  if (!state.allowRequest(token!)) return camError(CODE.tooManyRequests);
  if (ADMIN_ONLY.has(op) && !user.admin) return camError(CODE.adminOnly);
  try {
    return await HANDLERS[op]({ state, user, ...rest });
  } catch (err) {
    if (err instanceof CamFailure) return camError(err.code, err.message);
    throw err;
  }
}
