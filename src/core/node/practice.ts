/** The server choice of both config nodes that selects the built-in practice server; anything else is the user's own server. */
export const PRACTICE_SERVER = "practice";

/** The comms topic on which the runtime tells the editor's live view that the practice data changed. */
export const PRACTICE_TOPIC = "cam-practice/changed";

export function isPractice(props: { server?: unknown }): boolean {
  return props.server === PRACTICE_SERVER;
}
