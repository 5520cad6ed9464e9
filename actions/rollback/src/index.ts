import { rollbackAction, runAction } from '@release-promotion/core';

await runAction(rollbackAction);
