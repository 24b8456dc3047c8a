/**
 * GET /cam-config/known-values?id=<server node>&practice=<true|false>&serverURL=<as the editor has it>:
 * the people and chat rooms the send message dialog suggests as the user types. Needs cam-config.read.
 * The practice server: its users and chat rooms (started if needed). A deployed server node of the
 * user's own server: the users of exportUsers through that node's client, asked for only here and
 * kept in memory for a short time, never in the flow. Anything else (a server node not deployed,
 * another address than the deployed one, a token that may not export users, any failure) answers
 * nothing to suggest: suggestions are a help, never an error dialog. No token goes into the answer.
 */
import type { NodeAPI } from "node-red";
import { apiRequest } from "../cam/cam-client";
import type { CamConfigNode } from "../cam/cam-config-node";
import { csvToObjects } from "../cam/csv";
import { isEmail } from "../core/validate";
import { sharedPracticeServer } from "./shared-practice-server";

export interface KnownUser {
  email: string;
  name: string;
}

export interface KnownValues {
  users: KnownUser[];
  rooms: string[];
}

const NOTHING: KnownValues = { users: [], rooms: [] };

/** How long the users of one's own server are kept, per deployed server node. */
export const KNOWN_VALUES_TTL_MS = 60_000;

/** At most this many of each: enough for a list to pick from, not a dump of a large company. */
const MAX_VALUES = 5_000;

const cache = new WeakMap<object, { at: number; values: Promise<KnownValues> }>();
const registered = new WeakSet<object>();

export function registerKnownValues(RED: NodeAPI): void {
  if (registered.has(RED.httpAdmin)) return;
  registered.add(RED.httpAdmin);
  RED.httpAdmin.get("/cam-config/known-values", RED.auth.needsPermission("cam-config.read"), (req, res) => {
    const query = req.query as Record<string, unknown>;
    const answer = query.practice === "true" ? practiceValues() : ownServerValues(RED, query);
    answer.then(
      (values) => res.json(values),
      () => res.json(NOTHING)
    );
  });
}

async function practiceValues(): Promise<KnownValues> {
  const server = await sharedPracticeServer();
  const { users, rooms } = server.state.data;
  return {
    users: users.filter((user) => user.apiEnabled).map(({ email, name }) => ({ email, name })),
    rooms: rooms.map((room) => room.name),
  };
}

function ownServerValues(RED: NodeAPI, query: Record<string, unknown>): Promise<KnownValues> {
  const id = typeof query.id === "string" ? query.id : "";
  const node = id ? (RED.nodes.getNode(id) as CamConfigNode | null) : null;
  // Only the server the node was deployed for: another address in the dialog is not deployed yet.
  if (!node || node.type !== "cam-config" || node.practice || !node.client) return Promise.resolve(NOTHING);
  if (typeof query.serverURL === "string" && query.serverURL !== (node.settings?.serverURL ?? "")) return Promise.resolve(NOTHING);
  const kept = cache.get(node);
  if (kept && Date.now() - kept.at < KNOWN_VALUES_TTL_MS) return kept.values;
  const client = node.client;
  const values = client.call(apiRequest("exportUsers", { path: "exportUsers.csv" })).then(
    (res) => ({ users: usersOf(typeof res.data === "string" ? res.data : ""), rooms: [] }),
    () => NOTHING // 800 (the token may not export users), or the server cannot be reached: nothing to suggest
  );
  cache.set(node, { at: Date.now(), values });
  return values;
}

/** The e-mail address and name of each row of exportUsers' CSV (its columns as the practice server has them, else any address). */
function usersOf(csv: string): KnownUser[] {
  const users: KnownUser[] = [];
  for (const row of csvToObjects(csv)) {
    const email = (isEmail(row.email ?? "") ? row.email : Object.values(row).find((cell) => isEmail(cell ?? "")))?.trim();
    if (!email) continue;
    users.push({ email, name: String(row.name ?? "").trim() });
    if (users.length >= MAX_VALUES) break;
  }
  return users;
}
