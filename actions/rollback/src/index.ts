import { runAction } from '@release-promotion/core';

await runAction('rollback', async () => {
  throw new Error(
    "The 'rollback' action is not implemented in this version of release-promotion yet. " +
      'Pin a version that provides it, or remove this step.',
  );
});
