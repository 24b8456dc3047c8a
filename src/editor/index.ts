// The one object the panels use: scripts/build-editor.js bundles this module and what it imports
// into resources/editor.js, whose exports become the global CamEditor. Every panel loads it with
// <script src="resources/@cam-integrations/node-red-chat-messenger/editor.js"></script>.
import { nodeFacts } from "./facts";

export { inRange, listItems, isEmail, isApiName, isExpiry, isPeriod, isPlannedTime } from "./checks";
export {
  CONTEXT_TYPES,
  nodeLook as look,
  nodeDefaults as defaults,
  serverDefaults,
  serverLabel,
  neededForOwnServer,
  prepareServerChoice,
  prepareConnection,
  prepareConnectionTest,
  typedInput,
  prepareOperation,
  TEMPLATE,
  typedCheck,
  current,
  typedValue,
} from "./panel";
export { practiceView } from "./practice-view";
export { messagePreview } from "./preview";
export { knownValues } from "./suggestions";

/** The table's settings of a node type (defaults and limits). */
export const settings = (type: string) => nodeFacts(type).settings;

/** The options of an input whose own type is a list. */
export const options = (type: string, input: string) => nodeFacts(type).options[input];
