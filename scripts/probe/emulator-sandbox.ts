/**
 * The emulator as a probe sandbox: a history with the commits the probes' roles need, and an emulator started
 * with the `workflows` rule as the fixture's token had it, so the probe can run against the emulator and
 * fixtures can be replayed against it.
 */
import { startEmulator, type Emulator, type EmulatorOptions } from '@release-promotion/emulator';
import type { Fixture } from './fixture.js';
import { replayFixture, type ReplayResult } from './replay.js';

/** The token requests to an emulator carry. */
export const EMULATOR_TOKEN = 'probe-token';

const WORKFLOW = (version: number) =>
  `name: Probe ${version}\non: workflow_dispatch\njobs:\n  noop:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${version}\n`;

/**
 * Commits, on the default branch: a workflow (the `<commit:workflows-differ>`), a change of it (the
 * `<commit:older>`), then a change elsewhere (the `<commit:head>`). Returns the roles.
 */
export function buildProbeHistory(emulator: Emulator): Record<string, string> {
  const workflow = '.github/workflows/probe.yml';
  const differ = emulator.git.commit('Add the probe workflow', { files: { [workflow]: WORKFLOW(1) } });
  const older = emulator.git.commit('Change the probe workflow', { files: { [workflow]: WORKFLOW(2) } });
  const head = emulator.git.commit('Change the application', { files: { 'app.txt': 'version 2\n' } });
  return { '<commit:head>': head, '<commit:older>': older, '<commit:workflows-differ>': differ };
}

/** Emulator options reproducing the `workflows` rule for {@link EMULATOR_TOKEN} as the recording's token had it. */
export function emulatorOptionsFor(
  recorded: Pick<Fixture['recorded'], 'tokenHasWorkflowsPermission'>,
): EmulatorOptions {
  return {
    workflowsRule: {
      tokensWithWorkflowsPermission: recorded.tokenHasWorkflowsPermission ? [EMULATOR_TOKEN] : [],
    },
  };
}

/** Replays a fixture against a fresh emulator with {@link buildProbeHistory}; adds the emulator's problems. */
export async function replayOnFreshEmulator(
  fixture: Fixture,
): Promise<ReplayResult & { problems: Emulator['problems'] }> {
  const emulator = await startEmulator(emulatorOptionsFor(fixture.recorded));
  try {
    const roles = buildProbeHistory(emulator);
    const result = await replayFixture(fixture, {
      endpoint: { apiUrl: emulator.url, graphqlUrl: emulator.graphqlUrl, token: EMULATOR_TOKEN },
      owner: emulator.owner,
      repo: emulator.repo,
      roles,
    });
    return { ...result, problems: [...emulator.problems] };
  } finally {
    await emulator.close();
  }
}
