import {
  InputError,
  prepareRelease,
  prepareReleaseSummary,
  readBoolean,
  readCommonInputs,
  runAction,
} from '@release-promotion/core';

await runAction('prepare-release', async ({ input, context, logger, github, setOutput, summary }) => {
  const inputs = readCommonInputs(input, { environmentRequired: true });
  for (const name of ['version', 'bump', 'reason']) {
    if (input(name)) {
      throw new InputError(name, 'is not supported by this version yet', `Remove '${name}' from the step.`);
    }
  }
  if (readBoolean(input, 'force')) {
    throw new InputError('force', 'is not supported by this version yet', "Remove 'force' from the step.");
  }
  const release = await prepareRelease(
    { client: github(inputs.token), context, logger },
    { environment: inputs.environment, chain: inputs.chain, ref: input('ref'), dryRun: inputs.dryRun },
  );
  setOutput('sha', release.commit.sha);
  setOutput('version', release.version);
  setOutput('tag', release.tag);
  setOutput('deployment-id', release.deploymentId);
  setOutput('previous-sha', release.previousSha);
  setOutput('previous-version', release.previousVersion);
  setOutput('release-notes', release.changes.map((change) => `- ${change.subject}`).join('\n'));
  setOutput('release-url', release.releaseUrl);
  await summary(prepareReleaseSummary(release));
});
