import { acceptAction, runAction } from '@release-promotion/core';

await runAction(acceptAction);
