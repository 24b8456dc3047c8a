import { ANY_ANSWER, jsonAnswer, TEXT_ANSWER, type Answer } from "../core/transport/answer";

interface ApiFacts {
  /** Only reads: repeating it after a timeout or a broken connection cannot duplicate anything. */
  readOnly: boolean;
  /** What a success answer is (API-NOTES §1; the [choice] bodies are easy to change here). */
  answer: Answer;
}

/** The Chat&Messenger APIs this package knows; any other name (the generic node) may answer anything. */
export const CAM_APIS: Record<string, ApiFacts> = {
  sendMessage: { readOnly: false, answer: jsonAnswer({ status: "ok" }) },
  sendMessages: { readOnly: false, answer: jsonAnswer({ status: "ok", count: "number" }) },
  createQuickCall: { readOnly: false, answer: jsonAnswer({ sid: "string", url: "string" }) },
  getCallStats: { readOnly: true, answer: jsonAnswer({ participants: "number" }) },
  exportUsers: { readOnly: true, answer: TEXT_ANSWER },
  updateUsersCSV: { readOnly: false, answer: jsonAnswer({ status: "ok" }) },
  updateChatRoom: { readOnly: false, answer: jsonAnswer({ chatRoom: "object" }) },
  getConferenceRooms: { readOnly: true, answer: jsonAnswer({ conferenceRooms: "array" }) },
  getConferenceMaster: { readOnly: true, answer: jsonAnswer({ conferenceRooms: "array" }) },
  getConferenceRoomStatus: { readOnly: true, answer: jsonAnswer({ conferenceRoomStatus: "object" }) },
};

const UNKNOWN_API: ApiFacts = { readOnly: false, answer: ANY_ANSWER };

export function apiFacts(apiName: string): ApiFacts {
  return Object.hasOwn(CAM_APIS, apiName) ? CAM_APIS[apiName] : UNKNOWN_API;
}
