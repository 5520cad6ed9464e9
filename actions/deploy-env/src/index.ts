import { runAction } from '@release-promotion/core';

await runAction('deploy-env', async () => {
  throw new Error(
    "The 'deploy-env' action is not implemented in this version of release-promotion yet. " +
      'Pin a version that provides it, or remove this step.',
  );
});
