// `make demo`: starts the host through the client and runs a few cells, printing what they return.
// Run after `make build`: node --no-node-snapshot examples/demo.mjs
import { CodeModeClient } from '../dist/client/index.js';

const weather = { Paris: { tempC: 14, sky: 'rain' }, Lisbon: { tempC: 22, sky: 'sun' }, Oslo: { tempC: 3, sky: 'snow' } };

const client = new CodeModeClient({
  delegate: {
    // Every `tools.<name>(input)` a cell makes arrives here; the return value resolves it.
    async invokeTool(call) {
      if (call.tool.name === 'add') return call.input.a + call.input.b;
      if (call.tool.name === 'weather') {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const report = weather[call.input.city];
        if (report === undefined) throw new Error(`no weather for ${call.input.city}`);
        return report;
      }
      throw new Error(`unknown tool ${call.tool.name}`);
    },
    notify(note) {
      console.log(`   notify from cell ${note.cellId}: ${note.text}`);
    },
  },
});

const tools = [
  { name: 'add', description: 'Adds a and b.' },
  { name: 'weather', description: 'Current weather for a city.' },
];

function show(title, response) {
  console.log(`\n▶ ${title}`);
  console.log(`   cell ${response.cellId}: ${response.status}${response.error ? ` — ${response.error.split('\n')[0]}` : ''} (${response.durationMs.toFixed(1)} ms)`);
  for (const item of response.items) console.log(`   ${item.type === 'text' ? item.text : `[image ${item.imageUrl.slice(0, 40)}…]`}`);
}

try {
  const session = await client.openSession({ limits: { cpuTimeLimitMs: 2000 } });

  show("A cell calls a tool (the protocol's worked exchange)", await session.execute({ source: 'const r = await tools.add({ a: 2, b: 3 });\ntext(r * 7)', tools }));

  show(
    'Tools in parallel, a notification, and structured output',
    await session.execute({
      source: `notify("checking three cities");
const cities = ["Paris", "Lisbon", "Oslo"];
const reports = await Promise.all(cities.map((city) => tools.weather({ city })));
const warmest = cities[reports.indexOf(reports.reduce((a, b) => (b.tempC > a.tempC ? b : a)))];
console.log("warmest:", warmest, reports);
store("warmest", warmest);`,
      tools,
    }),
  );

  const first = await session.execute({ source: 'text("step 1"); yield_control();\nawait new Promise((r) => setTimeout(r, 200));\ntext("step 2: " + load("warmest"))' });
  show('A cell yields; the client waits for the rest', first);
  show('   …wait', await session.wait(first.cellId));

  show(
    'TypeScript, with a tool error caught in JavaScript',
    await session.execute({
      language: 'typescript',
      source: 'interface Report { tempC: number }\ntry { await tools.weather({ city: "Atlantis" }) } catch (e: unknown) { text((e as Error).message) }\nconst r: Report = await tools.weather({ city: "Oslo" });\ntext(`Oslo: ${r.tempC}°C`)',
      tools,
    }),
  );

  const spinning = await session.execute({ source: 'text("spinning forever"); await null; while (true) {}', yieldTimeMs: 100 });
  show('A CPU-bound cell yields, then is terminated', spinning);
  show('   …terminate', await session.terminate(spinning.cellId));

  show('A cell over its CPU limit (2000 ms) ends with an error naming it', await session.execute({ source: 'await null; while (true) {}' }));

  await session.close();
  console.log('\nSession closed; every cell was reported closed.');
} finally {
  await client.close();
}
