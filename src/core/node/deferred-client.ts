interface Client<Req, Res, Hooks> {
  call(req: Req, hooks?: Hooks): Promise<Res>;
  close(): Promise<void>;
}

/**
 * A client that exists once `ready` resolves (the practice server starts on first use): calls wait
 * for it, and fail with its error if it cannot be made.
 */
export function deferredClient<Req, Res, Hooks>(ready: Promise<Client<Req, Res, Hooks>>): Client<Req, Res, Hooks> {
  // Nobody may be calling yet: a failure is reported by the calls, not as an unhandled rejection.
  ready.catch(() => undefined);
  return {
    call: (req, hooks) => ready.then((client) => client.call(req, hooks)),
    close: () =>
      ready.then(
        (client) => client.close(),
        () => undefined
      ),
  };
}
