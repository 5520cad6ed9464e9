// Runs one action of the suite, from its committed bundle, against the emulator named by GITHUB_API_URL and
// GITHUB_REPOSITORY: `npm run action -- <action> --with key=value ... [--workspace DIR] [--sha SHA] [--run-id N]
// [--run-attempt N] [--actor LOGIN]`. The workspace (default: the directory npm was called from) is GITHUB_WORKSPACE, so its
// .github/promotion.yml is the one read. GITHUB_SHA defaults to the head of the default branch, read from the
// emulator; the run id to 1, so that successive steps belong to one run; the token is any value (the emulator
// accepts every token: `--with token=...` to choose it). Streams the step's log, prints each output as
// `name=value` and the job summary, and exits with the step's exit code; a bad command line exits 2.
import { resolve } from 'node:path';
import { ActionUsageError, parseActionArguments } from './action/action-arguments.js';
import { defaultBranchHead, emulatorTargetOf } from './action/emulator-target.js';
import { formatOutputs, runStep } from './action/run-step.js';

/** The token sent when `--with token=...` is not given: the emulator accepts any. */
const EMULATOR_TOKEN = 'emulator-token';

async function main(): Promise<number> {
  const args = parseActionArguments(process.argv.slice(2));
  const target = emulatorTargetOf(process.env);
  const token = args.inputs.token ?? EMULATOR_TOKEN;
  const head = await defaultBranchHead(target, token);
  const sha = args.sha ?? head.sha;
  // npm runs scripts in the package's folder and says where it was called from in INIT_CWD.
  const calledFrom = process.env.INIT_CWD || process.cwd();
  const workspace = resolve(calledFrom, args.workspace ?? '.');
  console.log(
    `Running ${args.action} on ${target.repository} at ${sha} (run ${args.runId}, workspace ${workspace})`,
  );
  const result = await runStep({
    action: args.action,
    inputs: args.inputs,
    apiUrl: target.apiUrl,
    repository: target.repository,
    token,
    sha,
    branch: head.branch,
    workspace,
    runId: args.runId,
    runAttempt: args.runAttempt,
    actor: args.actor,
  });
  console.log(`\n--- Outputs of ${args.action} ---`);
  for (const line of formatOutputs(result.outputs)) console.log(line);
  console.log(`\n--- Job summary ---\n${result.summary.trimEnd()}`);
  console.log(`\n${args.action} exited with ${result.exitCode}.`);
  return result.exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ActionUsageError) {
      console.error(`action: ${error.message}`);
      process.exit(2);
    }
    console.error(`action: ${(error as Error)?.stack ?? String(error)}`);
    process.exit(1);
  },
);
