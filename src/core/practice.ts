/** The server choice of both config nodes that selects the built-in practice server; anything else is the user's own server. */
export const PRACTICE_SERVER = "practice";

export function isPractice(props: { server?: unknown }): boolean {
  return props.server === PRACTICE_SERVER;
}
