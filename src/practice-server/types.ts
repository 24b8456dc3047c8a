export interface CamUser {
  uid: string;
  email: string;
  name: string;
  department: string;
  admin: boolean;
  apiEnabled: boolean;
}

export interface ChatRoom {
  id: string;
  name: string;
  createUserId: string;
  adminUserId: string;
  isPublic: boolean;
  isMessageThread: boolean;
  memberUids: Record<string, boolean>;
  /** rooms the API may not change (406) */
  locked?: boolean;
  updatedAt: number;
}

export interface ChatMessage {
  id: number;
  time: number;
  from: string;
  text: string;
  sealed: boolean;
  /** room messages: @-mentioned e-mails; direct messages: all recipients */
  users: string[];
  via: "sendMessage" | "sendMessages";
}

export interface QuickCall {
  sid: string;
  title: string;
  password: string;
  presenterPass: string;
  creationDate: number;
  expiredDate: number;
  createdBy: string;
  participants: { id: number; name: string; via: "page" | "control"; joinedAt: number }[];
}

export interface ConferenceRoom {
  id: string;
  name: string;
  capacity: number;
  location: string;
}

export interface Reservation {
  id: string;
  conferenceRoomId: string;
  title: string;
  reservedBy: string;
  startDate: number;
  endDate: number;
}

export interface XaContact {
  id: number;
  displayName: string;
  domain: string;
  email: string;
  phoneNumber: string | null;
  userDbId: number | null;
  userId: string | null;
}

export interface XaUser {
  userDbId: number;
  userId: string;
  email: string;
  displayName: string;
  domain: string;
  phoneNumber: string;
  password: string;
  role: string;
  permissions: string[];
}

export interface XaTeam {
  id: number;
  name: string;
  memberUserDbIds: number[];
}

interface XaCallEvent {
  id: number;
  type: string;
  contact: XaContact;
  timestamp: string;
}

export interface XaCall {
  id: number;
  callId: string;
  anonymousJoinAllow: boolean;
  callStatus: "Planned" | "Started" | "Ended";
  creatorContact: XaContact;
  invitedContacts: XaContact[];
  invitedTeams: { id: number; name: string }[];
  callTitle: string;
  callReason: string;
  callType: string;
  plannedDateTime: string | null;
  informOthersDirectly: boolean;
  createdAt: string;
  callEvents: XaCallEvent[];
  /** contact ids in the call right now */
  present: number[];
}

/** Everything that persists (the data file) and that /_practice/reset restores. */
export interface PracticeData {
  version: 1;
  tokens: { admin: string; user: string; disabled: string };
  tokenOwners: Record<string, string>; // token -> e-mail
  users: CamUser[];
  rooms: ChatRoom[];
  roomMessages: Record<string, ChatMessage[]>; // room id -> messages
  directMessages: Record<string, ChatMessage[]>; // recipient e-mail -> messages
  quickCalls: QuickCall[];
  conferenceRooms: ConferenceRoom[];
  reservations: Reservation[];
  xaUsers: XaUser[];
  xaTeams: XaTeam[];
  xaCalls: XaCall[];
  counters: { message: number; callLog: number; callEvent: number; contact: number; participant: number };
}
