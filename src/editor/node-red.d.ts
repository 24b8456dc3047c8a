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

interface TypedInputOptions {
  types: Array<string | { value: string; options: Array<{ value: string; label: string }> }>;
  typeField: string;
}

declare const RED: {
  utils: { validateTypedProperty(value: unknown, type: string): boolean | string };
  validators: {
    typedInput(options: { typeField: string; allowBlank?: boolean; allowUndefined?: boolean }): Validator;
  };
};

interface JQuery {
  val(): unknown;
  typedInput(options: TypedInputOptions): JQuery;
  on(event: string, handler: (this: HTMLElement, event: Event) => void): JQuery;
  trigger(event: string): JQuery;
  toggle(show?: boolean): JQuery;
  find(selector: string): JQuery;
  toggleClass(names: string): JQuery;
  is(selector: string): boolean;
  text(value: string): JQuery;
  addClass(names: string): JQuery;
  removeClass(names: string): JQuery;
}

interface TestAnswer {
  ok: boolean;
  code?: string;
  message?: string;
  [detail: string]: unknown;
}

interface Ajax {
  done(handler: (answer: TestAnswer) => void): Ajax;
  fail(handler: (xhr: { status: number; statusText: string }) => void): Ajax;
}

declare function $(target: string | HTMLElement): JQuery;
declare namespace $ {
  function ajax(options: { url: string; type: string; contentType: string; data: string }): Ajax;
}
