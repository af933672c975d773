/**
 * The source run once per isolate, before any cell: isolate/bootstrap.ts's function, called in
 * strict mode with the host bridge. isolated-vm passes the host functions to evalClosure as
 * `$0..$n`; the source gathers them into one null-prototype object by name, in the order of
 * HOST_BRIDGE_NAMES, the list prepared.ts builds them from.
 */
import { HOST_BRIDGE_NAMES, type BootstrapConstants } from './bridge.js';
import { bootstrap } from './isolate/bootstrap.js';

/** Shown in stack frames of helper code; the error text drops frames with this name. */
export const BOOTSTRAP_FILENAME = 'codemode:bootstrap';

/** Pending host timers one cell may hold. */
export const MAX_PENDING_TIMERS = 1024;

/** Output holds at most maxOutputBytes / ITEM_OVERHEAD_BYTES items, so that empty items are not free. */
export const ITEM_OVERHEAD_BYTES = 32;

const CONSTANTS: BootstrapConstants = {
  filename: BOOTSTRAP_FILENAME,
  maxPendingTimers: MAX_PENDING_TIMERS,
  itemOverheadBytes: ITEM_OVERHEAD_BYTES,
};

const BRIDGE_OBJECT = `{ __proto__: null, ${HOST_BRIDGE_NAMES.map((name, index) => `${name}: $${index}`).join(', ')} }`;

export const BOOTSTRAP_SOURCE = `"use strict";\nreturn (${bootstrap.toString()})(${BRIDGE_OBJECT}, ${JSON.stringify(CONSTANTS)});\n`;
