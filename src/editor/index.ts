// The one object the panels use: CamEditor. Loaded by every panel with
// <script src="resources/@cam-integrations/node-red-chat-messenger/editor.js"></script>.

Object.assign(globalThis, {
  CamEditor: {
    CONTEXT_TYPES,
    /** The table's settings of a node type (defaults and limits). */
    settings: (type: string) => nodeFacts(type).settings,
    /** The options of an input whose own type is a list. */
    options: (type: string, input: string) => nodeFacts(type).options[input],
    look: nodeLook,
    defaults: nodeDefaults,
    serverDefaults,
    serverLabel,
    neededForOwnServer,
    prepareServerChoice,
    prepareConnection,
    prepareConnectionTest,
    typedInput,
    typedCheck,
    current,
    typedValue,
    inRange,
    listItems,
    isEmail,
    isApiName,
    isExpiry,
    isPeriod,
    isPlannedTime,
    practiceView,
  },
});
