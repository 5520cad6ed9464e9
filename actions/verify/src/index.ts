import { runAction } from '@release-promotion/core';

await runAction('verify', async () => {
  throw new Error(
    "The 'verify' action is not implemented in this version of release-promotion yet. " +
      'Pin a version that provides it, or remove this step.',
  );
});
