// The module "virtual:operation-tables": the facts of the operation and settings tables (src/cam,
// src/xassist, src/core) that the panels need. It is not a file: scripts/build-editor.js makes it
// from the compiled tables when it bundles src/editor, so a panel never copies a default or a limit.

declare module "virtual:operation-tables" {
  /** A regular expression as [source, flags]: JSON has no RegExp. */
  export type Pattern = [string, string];

  export interface NumberSetting {
    value: number;
    min: number;
    max: number;
    integer?: boolean;
  }
  export type Setting = NumberSetting | { value: string; choices: string[] } | { value: string; pattern: Pattern };

  export interface NodeFacts {
    inputs: Record<string, { value: string; type: string }>;
    settings: Record<string, Setting>;
    options: Record<string, string[]>;
  }

  export interface Facts {
    nodes: Record<string, NodeFacts>;
    patterns: { email: Pattern; duration: Pattern; period: Pattern; apiName: Pattern };
    /** Below this a number is seconds, not milliseconds. */
    secondsLimit: number;
    maxResponseMB: { min: number; max: number };
    /** The server choice of both server nodes that selects the built-in practice server. */
    practiceServer: string;
    /** The comms topic of the runtime's "the practice data changed". */
    practiceTopic: string;
    /** Where an operation node puts its result unless its Output property says otherwise. */
    defaultOutput: string;
    /** The typed-input type of words with {{placeholders}}. */
    templateType: string;
  }

  export const FACTS: Facts;
}
