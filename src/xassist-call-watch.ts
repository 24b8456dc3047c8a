import type { NodeAPI } from "node-red";
import { registerOperation } from "./core/operation-node";
import { callWatch } from "./xassist/xassist-watch";

export = (RED: NodeAPI): void => registerOperation(RED, callWatch);
