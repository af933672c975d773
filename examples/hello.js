// A first cell: `codemode run examples/hello.js --tools examples/tools.mjs`.
// Each export of tools.mjs is a tool; the cell sees them as `tools.<exportName>`.
/* global tools, text, yield_control */

const sum = await tools.add({ a: 2, b: 3 });
text(`2 + 3 = ${sum}`);
console.log('echo:', await tools.echo({ hello: 'world' }));

// Ends this observation window; the cell keeps running and `run` waits for the rest.
yield_control();
const { slept } = await tools.sleep({ ms: 100 });
text(`slept ${slept} ms`);
