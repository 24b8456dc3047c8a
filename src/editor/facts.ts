// The facts of the operation and settings tables (src/cam, src/xassist, src/core) that the panels
// need; scripts/build-editor.js writes them from the compiled tables as FACTS at the top of editor.js.

/** A regular expression as [source, flags]. */
type Pattern = [string, string];

interface NumberSetting {
  value: number;
  min: number;
  max: number;
  integer?: boolean;
}
type Setting = NumberSetting | { value: string; choices: string[] } | { value: string; pattern: Pattern };

interface NodeFacts {
  inputs: Record<string, { value: string; type: string }>;
  settings: Record<string, Setting>;
  options: Record<string, string[]>;
}

interface Facts {
  nodes: Record<string, NodeFacts>;
  patterns: { email: Pattern; duration: Pattern; period: Pattern; apiName: Pattern };
  /** Below this a number is seconds, not milliseconds. */
  secondsLimit: number;
  maxResponseMB: { min: number; max: number };
  /** The server choice of both server nodes that selects the built-in practice server. */
  practiceServer: string;
  /** The comms topic of the runtime's "the practice data changed". */
  practiceTopic: string;
}

declare const FACTS: Facts;

function nodeFacts(type: string): NodeFacts {
  const facts = FACTS.nodes[type];
  if (!facts) throw new Error(`${type} has no entry in the operation tables`);
  return facts;
}

function regExp([source, flags]: Pattern): RegExp {
  return new RegExp(source, flags);
}
