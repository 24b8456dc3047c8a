// Suggestions as the user types in the people and chat room fields: what the server node the dialog
// has selected knows (the practice server: its users and chat rooms; one's own server: the users of
// export users, when its token may read them). Asked from the runtime (cam-config/known-values) once
// per dialog and server node, when a field first asks; nothing of it goes into the flow.
import { LIST_SEPARATOR } from "./checks";
import { FACTS } from "./facts";

interface KnownValues {
  users: Array<{ email: string; name: string }>;
  rooms: string[];
}

interface Completion {
  value: string;
  /** Node-RED's list appends a label that is not text with jQuery's appendTo. */
  label: JQuery;
}

const NOTHING: KnownValues = { users: [], rooms: [] };

/** At most this many suggestions in the list. */
const SHOWN = 20;

/**
 * The text types of the room and people fields of one dialog: Node-RED's own "str" (same value,
 * label and icon, so the runtime's type stays "str"), with suggestions.
 */
export function knownValues(node: EditedNode): { room: TypedInputType; people: TypedInputType } {
  const asked = new Map<string, Promise<KnownValues>>();
  const known = (): Promise<KnownValues> => {
    const id = String($("#node-input-server").val() || node.server || "");
    const server = id ? RED.nodes.node(id) : undefined;
    if (!server) return Promise.resolve(NOTHING);
    let answer = asked.get(id);
    if (!answer) {
      const practice = server.server === FACTS.practiceServer;
      const query = new URLSearchParams({ id, practice: String(practice) });
      if (!practice) query.set("serverURL", String(server.serverURL ?? ""));
      answer = new Promise<KnownValues>((resolve) => {
        $.ajax<KnownValues>({ url: `cam-config/known-values?${query}`, type: "GET", dataType: "json", cache: false })
          .done((values) => resolve({ users: values.users ?? [], rooms: values.rooms ?? [] }))
          .fail(() => resolve(NOTHING));
      });
      asked.set(id, answer);
    }
    return answer;
  };
  return {
    room: textType((value, done) => void known().then((values) => done(roomCompletions(values.rooms, value)))),
    people: textType((value, done) => void known().then((values) => done(peopleCompletions(values.users, value)))),
  };
}

function textType(autoComplete: TypedInputType["autoComplete"]): TypedInputType {
  return {
    value: "str",
    // Node-RED's own name of the type, in the editor's language, read when the TypedInput is made.
    get label() {
      return RED._("typedInput.type.str", { defaultValue: "string" });
    },
    icon: "red/images/typedInput/az.svg",
    autoComplete,
  };
}

const matches = (text: string, term: string) => text.toLowerCase().includes(term.toLowerCase());

function roomCompletions(rooms: string[], value: string): Completion[] {
  const term = value.trim();
  if (rooms.includes(term)) return [];
  return rooms
    .filter((room) => matches(room, term))
    .slice(0, SHOWN)
    .map((room) => ({ value: room, label: label(room) }));
}

/** A list of addresses: the last one is completed, the ones before stay as typed; an address already in the list is not offered again. */
function peopleCompletions(users: KnownValues["users"], value: string): Completion[] {
  let start = value.length;
  while (start > 0 && !LIST_SEPARATOR.test(value[start - 1])) start--;
  const before = value.slice(0, start);
  const term = value.slice(start);
  const listed = new Set(before.split(LIST_SEPARATOR).map((item) => item.toLowerCase()));
  return users
    .filter((user) => !listed.has(user.email.toLowerCase()) && user.email !== term && (matches(user.email, term) || matches(user.name, term)))
    .slice(0, SHOWN)
    .map((user) => ({ value: before + user.email, label: label(user.email, user.name) }));
}

/** A suggestion's line in the list: the value, and a name in a lighter colour. Server texts go in as text only. */
function label(value: string, detail = ""): JQuery {
  const line = document.createElement("div");
  line.style.display = "flex";
  line.style.gap = "1em";
  const main = document.createElement("span");
  main.className = "red-ui-autoComplete-completion";
  main.textContent = value;
  line.append(main);
  if (detail) {
    const extra = document.createElement("span");
    extra.style.opacity = "0.7";
    extra.textContent = detail;
    line.append(extra);
  }
  return $(line);
}
