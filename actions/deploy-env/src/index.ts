import { deployEnvAction, runAction } from '@release-promotion/core';

await runAction(deployEnvAction);
