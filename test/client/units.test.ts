import { expect } from 'chai';
import { hostCellId, publicCellId } from '../../client/cellIds.js';
import { HostUnavailableError } from '../../client/index.js';
import { buildHostCommand, defaultHostEntry } from '../../client/hostCommand.js';
import { RestartPolicy } from '../../client/restartPolicy.js';

describe('client building blocks', () => {
  describe('public cell ids', () => {
    it('shows generation 1 ids as the host sends them and prefixes later generations', () => {
      expect(publicCellId(1, '3')).to.equal('3');
      expect(publicCellId(2, '3')).to.equal('g2:3');
    });

    it('maps only ids of the current generation back to host ids', () => {
      expect(hostCellId(1, '3')).to.equal('3');
      expect(hostCellId(1, 'g2:3')).to.equal(undefined);
      expect(hostCellId(2, 'g2:3')).to.equal('3');
      expect(hostCellId(2, '3')).to.equal(undefined);
      expect(hostCellId(3, 'g2:3')).to.equal(undefined);
      expect(hostCellId(2, 'g22:3')).to.equal(undefined);
    });
  });

  describe('RestartPolicy', () => {
    it('refuses a start after more than maxRestarts losses in the window, naming the last cause', () => {
      let now = 0;
      const policy = new RestartPolicy({ maxRestarts: 2, windowMs: 1000 }, () => now);
      for (const cause of ['first', 'second']) {
        policy.recordLoss(cause);
        policy.checkStart();
      }
      policy.recordLoss('third');
      expect(() => policy.checkStart())
        .to.throw(HostUnavailableError)
        .with.property('message')
        .that.contains('lost 3 times within 1000 ms (last: third)');
      now = 1001;
      policy.checkStart();
    });

    it('defaults to 5 restarts in 3 minutes and forgets every loss on reset()', () => {
      const policy = new RestartPolicy({}, () => 0);
      for (let i = 0; i < 5; i++) policy.recordLoss('crash');
      policy.checkStart();
      policy.recordLoss('crash');
      expect(() => policy.checkStart()).to.throw(HostUnavailableError, 'within 180000 ms');
      policy.reset();
      policy.checkStart();
    });
  });

  describe('host command', () => {
    it('runs this package\'s host on the current Node, with no Node flags, by default', () => {
      const command = buildHostCommand(undefined);
      expect(command).to.deep.equal({ file: process.execPath, args: [defaultHostEntry()] });
      expect(defaultHostEntry()).to.match(/dist\/server\/main\.js$/);
    });

    it('passes host limits and session defaults as kebab-case flags', () => {
      const command = buildHostCommand(['host', '--x'], { maxMessageBytes: 4096, sessionDefaults: { heapLimitMb: 64, maxYieldTimeMs: null } });
      expect(command).to.deep.equal({
        file: 'host',
        args: ['--x', '--max-message-bytes', '4096', '--heap-limit-mb', '64', '--max-yield-time-ms', 'none'],
      });
    });
  });
});
