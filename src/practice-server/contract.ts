// Every "[choice]" of shared/API-NOTES.md that the practice server makes alone, and its own choices
// where the documents are silent. Change them here only. What the client must agree on (the APIs'
// names and paths, methods, form fields, admin-only, success answer shapes) is the wire contract of
// each API, which both sides read: src/cam/cam-apis.ts and src/xassist/xassist-apis.ts.

export const DEFAULT_PORT = 8080; // the documented on-premise port
export const DEFAULT_HOST = "127.0.0.1";
export const CONTROL_PREFIX = "/_practice/";
export const SHARE_PREFIX = "/share/";
const SUCCESS_STATUS = 200;

export const CODE = {
  badRequest: "400",
  groupMissing: "405",
  groupLocked: "406",
  mayRegister: "451",
  notRegistered: "452",
  tooManyLogins: "490",
  tooManyRequests: "491",
  serverError: "500",
  unavailable: "503",
  adminOnly: "800",
  apiOnly: "802",
  badToken: "805",
} as const;

export const MESSAGES: Record<string, string> = {
  "400": "このリクエストは無効です。",
  "405": "グループが存在しません。",
  "406": "グループを変更できません。",
  "451": "ユーザが登録されていません。先にユーザ登録してください。",
  "452": "ユーザが登録されていません。",
  "490": "パスワード試行回数の上限に達しためログインできません。しばらく時間をおいてから再度お試しください。",
  "491": "リクエスト回数が多すぎます。",
  "500": "予期せぬエラーが発生しました。",
  "503": "サービスが利用できません。",
  "800": "この機能は管理者しか利用できません。",
  "802": "この操作はAPIのみで利用可能です。",
  "805": "APIトークンが正しくありません。",
};

/** [choice] A token whose user may not use the API is answered like a wrong token, with its own message. */
export const DISABLED_USER_CODE = CODE.badToken;
export const DISABLED_USER_MESSAGE = "このユーザはAPIを利用できません。";

/** [choice] getCallStats for an unknown web conference id. */
export const UNKNOWN_CONFERENCE_CODE = CODE.groupMissing;

/** Unknown e-mail addresses in these domains get 451 (may register themselves), others 452. */
export const SELF_REGISTRATION_DOMAINS = ["example.com"];

/** [choice] success bodies and envelopes */
export const SUCCESS_BODY = {
  sendMessage: () => ({ status: SUCCESS_STATUS }),
  sendMessages: (count: number) => ({ status: SUCCESS_STATUS, count }),
  updateUsersCSV: (updated: number, created: number) => ({ status: SUCCESS_STATUS, updated, created }),
  /** getConferenceRoomStatus: the documented shape, nested in conferenceRoomStatus */
  roomStatus: (conferenceRooms: unknown[]) => ({ conferenceRoomStatus: { conferenceRooms } }),
};

/** [choice] exportUsers answers the CSV itself as a download named after `path` */
export const EXPORT_CONTENT_TYPE = "text/csv; charset=utf-8";
export function exportDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** [choice] user CSV layout of exportUsers / updateUsersCSV */
export const USER_CSV_COLUMNS = ["email", "name", "department", "admin"] as const;

export const QUICK_CALL_SID_LENGTH = 44; // like the manual's sample id
export const PRESENTER_PASS_LENGTH = 8;
export const DEFAULT_EXPORT_FILENAME = "exportUsers.csv";

// xAssist
export const XA_DEFAULT_TOKEN_LIFETIME_SEC = 300; // [doc sample JWT]
export const XA_REFRESH_LIFETIME_SEC = 7 * 24 * 3600; // [doc sample JWT]
/** [choice] /login while a session is open: false = allowed (several sessions), true = HTTP 409. */
export const XA_LOGIN_CONFLICTS_WITH_OPEN_SESSION = false;
/** [choice] refresh keeps the same refresh token and returns a new access token */
export const XA_ROTATE_REFRESH_TOKEN = false;
export const XA_PERMISSION_CREATE_CALL = "CALL_CREATE";
export const XA_FIRST_CALL_ID = 842; // the manual's sample id
export const XA_FIRST_EVENT_ID = 697;

export const MAX_BODY_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_RECORDED = 10000;
export const MAX_RECORDED_BODY_CHARS = 64 * 1024;
export const MAX_MESSAGES_PER_LIST = 1000; // per room and per DM inbox; older ones are dropped
export const PAGE_MESSAGES_PER_LIST = 50;
export const LIVE_PUSH_INTERVAL_MS = 250;
export const LIVE_HEARTBEAT_MS = 15000;
export const SAVE_DEBOUNCE_MS = 300;
