import type { Node, NodeMessage } from "node-red";
import type { CamError } from "./errors";
import type { CallHooks } from "./transport";
import type { TypedValue } from "./typed-input";

/** What an operation gets: its typed inputs resolved for this message, and its plain settings. */
export interface OperationInput {
  values: Record<string, unknown>;
  settings: Record<string, unknown>;
  msg: NodeMessage;
}

export interface Outcome {
  payload: unknown;
  /** Other message properties to set, such as msg.filename. */
  extra?: Record<string, unknown>;
}

export type CallApi<Req, Res> = (req: Req) => Promise<Res>;

/** One table entry per node: the node path does the rest (resolve → run → status → send/done). */
export interface Operation<Req, Res> {
  type: string;
  /** Typed-input properties with their defaults; the node stores `name` and `nameType`. */
  inputs: Record<string, TypedValue>;
  /** Validates everything before the first call, then calls the API. */
  run(input: OperationInput, call: CallApi<Req, Res>): Promise<Outcome>;
}

/** What operation nodes need of a config node: a client, or the reason there is none. */
export interface ApiConfigNode<Req, Res> extends Node {
  client?: { call(req: Req, hooks?: CallHooks): Promise<Res> };
  configError?: CamError;
}

/** Typed-input defaults of the operation tables. */
export const fromMsg = (value: string): TypedValue => ({ value, type: "msg" });
export const fixedText = (value: string): TypedValue => ({ value, type: "str" });
