import type { NodeMessage } from "node-red";
import type { ApiRequest, ApiResponse } from "./cam-client";
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

export type CallApi<Req = ApiRequest, Res = ApiResponse> = (req: Req) => Promise<Res>;

/** One table entry per node: the node path does the rest (resolve → run → status → send/done). */
export interface Operation<Req = ApiRequest, Res = ApiResponse> {
  type: string;
  /** Typed-input properties with their defaults; the node stores `name` and `nameType`. */
  inputs: Record<string, TypedValue>;
  /** Validates everything before the first call, then calls the API. */
  run(input: OperationInput, call: CallApi<Req, Res>): Promise<Outcome>;
}

/** Typed-input defaults of the operation tables. */
export const fromMsg = (value: string): TypedValue => ({ value, type: "msg" });
export const fixedText = (value: string): TypedValue => ({ value, type: "str" });
