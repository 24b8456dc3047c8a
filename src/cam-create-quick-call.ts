import type { NodeAPI } from "node-red";
import { createQuickCall } from "./lib/cam-operations";
import { registerOperation } from "./lib/operation-node";

export = (RED: NodeAPI): void => registerOperation(RED, createQuickCall);
