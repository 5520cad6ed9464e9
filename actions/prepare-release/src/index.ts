import { prepareReleaseAction, runAction } from '@release-promotion/core';

await runAction(prepareReleaseAction);
