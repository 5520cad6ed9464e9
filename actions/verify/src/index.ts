import { runAction, verifyAction } from '@release-promotion/core';

await runAction(verifyAction);
