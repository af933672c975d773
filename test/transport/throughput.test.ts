/**
 * Micro-benchmark, printed and not asserted: echo round trips per second through the host
 * transport, against the same echo over vscode-jsonrpc's own stream reader and writer.
 */
import { PassThrough } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { silentLogger } from '../../server/log.js';
import { createHostTransport } from '../../server/transport/hostTransport.js';

interface Pair {
  client: MessageConnection;
  dispose(): void;
}

function hostPair(): Pair {
  const toHost = new PassThrough();
  const toClient = new PassThrough();
  const transport = createHostTransport({ input: toHost, output: toClient, maxMessageBytes: 1 << 26, maxInFlightRequests: 1024, logger: silentLogger });
  transport.connection.onRequest((_method, params) => params);
  transport.listen();
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toHost));
  client.listen();
  return { client, dispose: () => (client.dispose(), transport.dispose()) };
}

function plainPair(): Pair {
  const toHost = new PassThrough();
  const toClient = new PassThrough();
  const host = createMessageConnection(new StreamMessageReader(toHost), new StreamMessageWriter(toClient));
  host.onRequest((_method, params) => params);
  host.listen();
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toHost));
  client.listen();
  return { client, dispose: () => (client.dispose(), host.dispose()) };
}

async function roundTripsPerSecond(pair: Pair, total: number, concurrency: number): Promise<number> {
  const params = { sessionId: 's1', source: 'text(1 + 1)', note: 'é€' };
  const started = process.hrtime.bigint();
  for (let sent = 0; sent < total; sent += concurrency) {
    await Promise.all(Array.from({ length: concurrency }, () => pair.client.sendRequest('echo', params)));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  pair.dispose();
  return Math.round(total / seconds);
}

describe('host transport throughput (printed, not asserted)', () => {
  it('echo round trips per second vs plain vscode-jsonrpc', async function () {
    this.timeout(60_000);
    const lines: string[] = [];
    for (const [total, concurrency] of [
      [2000, 1],
      [10000, 100],
    ] as const) {
      // Best of three, interleaved: the machine is shared, so single runs are noisy.
      let host = 0;
      let plain = 0;
      for (let run = 0; run < 3; run++) {
        host = Math.max(host, await roundTripsPerSecond(hostPair(), total, concurrency));
        plain = Math.max(plain, await roundTripsPerSecond(plainPair(), total, concurrency));
      }
      lines.push(`concurrency ${concurrency}: host transport ${host}/s, plain vscode-jsonrpc ${plain}/s (best of 3)`);
    }
    console.log(`      ${lines.join('\n      ')}`);
  });
});
