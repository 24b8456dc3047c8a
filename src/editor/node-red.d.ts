// The few parts of the Node-RED editor (RED, jQuery) that the panels' shared code uses.

interface EditedNode {
  _(key: string, params?: Record<string, unknown>): string;
  id?: string;
  name?: string;
  [property: string]: unknown;
}

type Validator = (this: EditedNode, value: unknown, options?: unknown) => boolean | string;

interface NodeProperty {
  value: unknown;
  type?: string;
  required?: boolean;
  validate?: Validator;
}

interface TypedInputType {
  value: string;
  label?: string;
  icon?: string;
  hasValue?: boolean;
  options?: Array<{ value: string; label: string }>;
  validate?: (value: string) => boolean;
  /** Suggestions as the user types: strings or {value, label}; `value` replaces the whole field. */
  autoComplete?: (value: string, done: (completions: Array<{ value: string; label: string | JQuery }>) => void) => void;
}

interface TypedInputOptions {
  types: Array<string | TypedInputType>;
  typeField?: string;
}

type Translate = (key: string, params?: Record<string, unknown>) => string;

interface SidebarTab {
  id: string;
  label: string;
  name: string;
  iconClass: string;
  content: HTMLElement;
  toolbar?: HTMLElement;
  enableOnEdit?: boolean;
  onchange?: () => void;
}

declare const RED: {
  utils: {
    validateTypedProperty(value: unknown, type: string): boolean | string;
    validatePropertyExpression(value: string): boolean;
    getMessageProperty(msg: object, expression: string): unknown;
  };
  validators: {
    typedInput(options: { typeField: string; allowBlank?: boolean; allowUndefined?: boolean }): Validator;
  };
  nodes: {
    getType(type: string): { _: Translate } | undefined;
    node(id: string): EditedNode | undefined;
    eachNode(visit: (node: EditedNode) => void): void;
  };
  _: Translate;
  editor: { getEditStack(): unknown[] };
  sidebar: { addTab(tab: SidebarTab): void; show(id: string): void };
  comms: { subscribe(topic: string, handler: (topic: string, payload: unknown) => void): void };
  events: { on(event: string, handler: () => void): void };
  notify(text: string, type?: string): void;
  user: { hasPermission(permission: string): boolean };
};

interface JQuery {
  length: number;
  [index: number]: HTMLElement | undefined;
  val(): unknown;
  val(value: string): JQuery;
  append(...content: Array<string | HTMLElement>): JQuery;
  typedInput(options: TypedInputOptions): JQuery;
  typedInput(method: "value" | "type"): string;
  on(event: string, handler: (this: HTMLElement, event: Event) => void): JQuery;
  trigger(event: string): JQuery;
  toggle(show?: boolean): JQuery;
  css(property: string, value: string): JQuery;
  find(selector: string): JQuery;
  toggleClass(names: string): JQuery;
  is(selector: string): boolean;
  text(value: string): JQuery;
  text(): string;
  addClass(names: string): JQuery;
  removeClass(names: string): JQuery;
}

interface TestAnswer {
  ok: boolean;
  code?: string;
  message?: string;
  [detail: string]: unknown;
}

interface Failure {
  status: number;
  statusText: string;
  /** an admin endpoint's JSON answer, e.g. {error} */
  responseJSON?: { error?: unknown };
}

interface Ajax<T = TestAnswer> {
  done(handler: (answer: T) => void): Ajax<T>;
  fail(handler: (xhr: Failure) => void): Ajax<T>;
  always(handler: () => void): Ajax<T>;
}

declare function $(target: string | HTMLElement): JQuery;
declare namespace $ {
  function ajax<T = TestAnswer>(options: { url: string; type: string; contentType?: string; data?: string; dataType?: string; cache?: boolean }): Ajax<T>;
}
