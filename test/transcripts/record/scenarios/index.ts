/** Every recorded scenario of the transcript suite, one transcript each. */
import type { Scenario } from '../scenario.js';
import { cells } from './cells.js';
import { delegate } from './delegate.js';
import { lifecycle } from './lifecycle.js';
import { limits } from './limits.js';
import { observation } from './observation.js';
import { sessions } from './sessions.js';
import { transport } from './transport.js';

export const scenarios: Scenario[] = [...lifecycle, ...transport, ...sessions, ...cells, ...observation, ...delegate, ...limits];
