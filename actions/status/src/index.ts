import { runAction, statusAction } from '@release-promotion/core';

await runAction(statusAction);
