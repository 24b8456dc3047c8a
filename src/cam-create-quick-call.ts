import type { NodeAPI } from "node-red";
import { createQuickCall } from "./cam/cam-operations";
import { registerOperation } from "./core/operation-node";

export = (RED: NodeAPI): void => registerOperation(RED, createQuickCall);
