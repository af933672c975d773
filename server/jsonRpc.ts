/**
 * The host's one source of vscode-jsonrpc values. It imports the library's common entry, not
 * `vscode-jsonrpc/node`: the host frames stdio itself (transport/), and the node entry's pipe,
 * socket and stream transports load crypto and net helpers that cost a tenth of host_start.
 *
 * The common entry needs a runtime ("RAL") for the little it does on its own: timers (a listener
 * added to an already cancelled token) and console (a throwing event listener is logged, to
 * stderr: the host routes console there). Nothing the host uses reaches the rest, which throws if
 * ever reached. When the node entry is loaded in the same process (the client, in tests), its own
 * runtime, a superset, is kept or replaces this one.
 */
import { RAL } from 'vscode-jsonrpc';

export {
  AbstractMessageReader,
  AbstractMessageWriter,
  CancellationTokenSource,
  Disposable,
  Emitter,
  ErrorCodes,
  Message,
  ResponseError,
} from 'vscode-jsonrpc';

function installed(): boolean {
  try {
    RAL();
    return true;
  } catch {
    return false;
  }
}

const unused = (what: string) => () => {
  throw new Error(`vscode-jsonrpc's ${what} is not part of the host's runtime (server/jsonRpc.ts)`);
};

function disposable(clear: () => void) {
  return { dispose: clear };
}

if (!installed()) {
  RAL.install({
    crypto: { randomUUID: unused('crypto') },
    applicationJson: { encoder: { name: 'application/json', encode: unused('encoder') }, decoder: { name: 'application/json', decode: unused('decoder') } },
    messageBuffer: { create: unused('message buffer') },
    console,
    timer: {
      setTimeout: (callback, ms, ...args) => {
        const handle = setTimeout(callback, ms, ...args);
        return disposable(() => clearTimeout(handle));
      },
      setImmediate: (callback, ...args) => {
        const handle = setImmediate(callback, ...args);
        return disposable(() => clearImmediate(handle));
      },
      setInterval: (callback, ms, ...args) => {
        const handle = setInterval(callback, ms, ...args);
        return disposable(() => clearInterval(handle));
      },
    },
  });
}
