// The parts of a running practice server that the routes share.
import type { Faults } from "./http/faults";
import type { LiveUpdates } from "./http/live";
import type { Recorder } from "./http/recorder";
import type { SharePresence } from "./http/share";
import type { PracticeState } from "./state";
import type { XaSessions } from "./xassist/xassist-sessions";

export interface Runtime {
  url: string;
  state: PracticeState;
  recorder: Recorder;
  faults: Faults;
  live: LiveUpdates;
  sessions: XaSessions;
  presence: SharePresence;
  /** timers of "delay" faults, cleared on close */
  timers: Set<NodeJS.Timeout>;
}
