// The parts of a running sandbox that the routes share.
import type { Faults } from "./faults";
import type { LiveUpdates } from "./live";
import type { Recorder } from "./recorder";
import type { SharePresence } from "./share";
import type { SandboxState } from "./state";
import type { XaSessions } from "./xassist-sessions";

export interface Runtime {
  url: string;
  state: SandboxState;
  recorder: Recorder;
  faults: Faults;
  live: LiveUpdates;
  sessions: XaSessions;
  presence: SharePresence;
  /** timers of "delay" faults, cleared on close */
  timers: Set<NodeJS.Timeout>;
}
