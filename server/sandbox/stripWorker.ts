/**
 * A worker thread of the sandbox process that strips the types of one large TypeScript cell, so
 * the stripping can be bounded (terminated at the cell's CPU limit) without blocking the process.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { stripTypes } from './typescript.js';

const { source, filename } = workerData as { source: string; filename: string };
parentPort?.postMessage(await stripTypes(source, filename));
