/**
 * The echo_rtt floor's far end: a bare vscode-jsonrpc connection on stdio that answers `echo`
 * with its params. Nothing else, so the round trip is two processes, two pipes and the library.
 */
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const connection = createMessageConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
connection.onRequest('echo', (params: unknown) => params);
connection.onClose(() => process.exit(0));
connection.listen();
