// An example tools module (`codemode run --tools examples/tools.mjs ...`). Each export is one
// tool: a plain async function of the JSON input a cell passes (`tools.add({a: 2, b: 3})`), whose
// JSON return value resolves the cell's promise and whose thrown error rejects it with the error's
// message. The second argument is `{ signal }`: an AbortSignal that fires when the host cancels
// the call, the cell ends, or the host is lost. A function's `description` is what the cell sees
// in ALL_TOOLS.

/** Adds two numbers. */
export async function add({ a, b }) {
  if (typeof a !== 'number' || typeof b !== 'number') throw new Error('add takes {a: number, b: number}');
  return a + b;
}
add.description = 'Adds two numbers: {a, b} → a + b.';

/** Returns its input unchanged. */
export async function echo(value) {
  return value;
}
echo.description = 'Returns its input unchanged.';

/** Resolves with `{ slept: ms }` after `ms` milliseconds, or rejects as soon as the call is cancelled. */
export async function sleep({ ms }, { signal } = {}) {
  if (signal?.aborted) throw new Error('sleep was cancelled');
  await new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('sleep was cancelled'));
    });
  });
  return { slept: ms };
}
sleep.description = 'Waits {ms} milliseconds, then returns {slept: ms}.';

const WEATHER = {
  Paris: { tempC: 14, sky: 'rain' },
  Lisbon: { tempC: 22, sky: 'sun' },
  Oslo: { tempC: 3, sky: 'snow' },
  Tokyo: { tempC: 18, sky: 'cloud' },
};

/** Canned weather for a few cities; any other city is an error the cell can catch. */
export async function fetchWeather({ city }) {
  const report = WEATHER[city];
  if (report === undefined) throw new Error(`no weather for ${city}; try one of ${Object.keys(WEATHER).join(', ')}`);
  return { city, ...report };
}
fetchWeather.description = `Canned weather for {city}: one of ${Object.keys(WEATHER).join(', ')}.`;
