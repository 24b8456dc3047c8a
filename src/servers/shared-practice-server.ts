/**
 * The practice server (src/practice-server), started in this Node-RED process when
 * the first practice server node is deployed, and kept with its state until Node-RED stops. It
 * listens on 127.0.0.1 only, with a random token, and its control endpoints and page are reachable
 * only through Node-RED's admin API (practice-routes.ts).
 */
import type * as PracticeServerModule from "../practice-server";

let starting: Promise<PracticeServerModule.PracticeServer> | undefined;
let running: PracticeServerModule.PracticeServer | undefined;
let announce: ((version: number) => void) | undefined;

export function sharedPracticeServer(): Promise<PracticeServerModule.PracticeServer> {
  starting ??= load()
    .start({ port: 0, host: "127.0.0.1", quiet: true, httpControl: false, unref: true })
    .then(
      (server) => {
        running = server;
        server.onChange((version) => announce?.(version));
        return server;
      },
      (err: unknown) => {
        starting = undefined;
        throw err;
      }
    );
  return starting;
}

/** The practice server if it has started; never starts it. */
export function runningPracticeServer(): PracticeServerModule.PracticeServer | undefined {
  return running;
}

/** Who hears of changes (the editor's live view); the latest registration wins. */
export function announceChanges(listener: (version: number) => void): void {
  announce = listener;
}

// Loaded on first use: a Node-RED without practice server nodes never loads the practice server.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (): typeof PracticeServerModule => require("../practice-server") as typeof PracticeServerModule;
