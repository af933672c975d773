'use strict';
// Mocha's own summary is not read by CI; this reporter keeps the spec output and closes the run
// with the plain line `N passed, N failed` (plus skipped) that CI looks for.
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const { passes, failures, pending } = this.stats;
      process.stdout.write(`\n${passes} passed, ${failures} failed, ${pending} skipped\n`);
    });
  }
}

module.exports = SummaryReporter;
