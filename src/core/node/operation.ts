import type { Node, NodeMessage, NodeStatus } from "node-red";
import type { CodedError } from "../errors";
import type { CallHooks } from "../transport/transport";
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
  /** The payload is a list: send one message per item, with msg.parts as a split node sets it (a join node puts them together). */
  each?: boolean;
}

export type CallApi<Req, Res> = (req: Req) => Promise<Res>;

/** A plain setting: its default and what it accepts; the editor panel reads the same description. */
export type Setting =
  | { value: number; min: number; max: number; /** The editor asks for a whole number. */ integer?: boolean }
  | { value: string; choices: readonly string[] }
  | { value: string; pattern: RegExp };
export type Settings = Record<string, Setting>;

/** One table entry per node: the node path does the rest (resolve → run → status → send/done). */
export interface Operation<Req, Res> {
  type: string;
  /** Typed-input properties with their defaults; the node stores `name` and `nameType`. */
  inputs: Record<string, TypedValue>;
  /** Plain properties of the node (not typed inputs): defaults and limits the runtime and the panel share. */
  settings?: Settings;
  /** The options of an input whose own type is a list (a custom typed-input type). */
  options?: Record<string, readonly string[]>;
  /** Validates everything before the first call, then calls the API. */
  run(input: OperationInput, call: CallApi<Req, Res>): Promise<Outcome>;
}

/**
 * An operation whose message stays open while its work goes on (watching a call): it sends on its
 * outputs as things happen and ends the message itself. The node path still resolves the inputs,
 * looks up the server, shows errors and closes, as for every operation.
 */
export interface LongLivedOperation<Req, Res> {
  type: string;
  inputs: Record<string, TypedValue>;
  settings?: Settings;
  /** Once per node: reads its settings (a CodedError names a wrong one) and returns what takes its messages. */
  open(node: LongLivedNode<Req, Res>): LongLivedWork;
  /** Catalogue key of the close's warning about the open messages it ended (__count__). */
  closeWarning: string;
}

export type EndMessage = (err?: Error) => void;
export type SendOutputs = (msgs: Array<NodeMessage | null>) => void;

/** What the node path lends a long-lived operation. */
export interface LongLivedNode<Req, Res> {
  settings: Record<string, unknown>;
  /** The call every operation makes: the server's client, the node's retry status, its close. */
  call: CallApi<Req, Res>;
  status(status: NodeStatus): void;
  warn(text: string): void;
  /** A copy of a message, as Node-RED makes one for each further wire. */
  copy<T extends NodeMessage>(msg: T): T;
  /** Ends an open message with an error as every node does: the status shows it, Catch nodes get it. */
  fail(done: EndMessage, error: unknown): void;
  /** Puts a result where the node's Output property says (msg.payload unless the user chose another). */
  place: PlaceResult;
}

export type PlaceResult = (msg: NodeMessage, result: unknown) => void;

/** Where an operation node puts its result unless its Output property names another message property. */
export const DEFAULT_OUTPUT = "payload";

/** The open messages of one node. */
export interface LongLivedWork {
  /** Takes a message with its inputs resolved and ends it through done, now or later; a throw ends it with that error. */
  start(input: OperationInput, send: SendOutputs, done: EndMessage): void;
  /** The node closes: ends every open message without its final output; returns how many there were. */
  close(): number;
}

/** What operation nodes need of a config node: a client, or the reason there is none. */
export interface ApiConfigNode<Req, Res> extends Node {
  client?: { call(req: Req, hooks?: CallHooks): Promise<Res> };
  configError?: CodedError;
  /** Bound to the built-in practice server. */
  practice?: boolean;
}

/** Typed-input defaults of the operation tables. */
export const fromMsg = (value: string): TypedValue => ({ value, type: "msg" });
export const fixedText = (value: string): TypedValue => ({ value, type: "str" });
