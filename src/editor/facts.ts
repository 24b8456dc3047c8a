// The one door of the operation tables into the editor code: every other file takes FACTS from here.
import { FACTS, type NodeFacts, type Pattern } from "virtual:operation-tables";

export { FACTS };
export type { Setting } from "virtual:operation-tables";

export function nodeFacts(type: string): NodeFacts {
  const facts = FACTS.nodes[type];
  if (!facts) throw new Error(`${type} has no entry in the operation tables`);
  return facts;
}

export function regExp([source, flags]: Pattern): RegExp {
  return new RegExp(source, flags);
}
