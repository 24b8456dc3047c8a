import type { NodeAPI } from "node-red";
import { createCall } from "./xassist/xassist-operations";
import { registerOperation } from "./core/operation-node";

export = (RED: NodeAPI): void => registerOperation(RED, createCall);
