import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { inputVariable, parseOutputFile } from './harness/run-action.js';
import { nodeRuntime } from './harness/node-runtime.js';

describe('the runner-faithful harness', () => {
  it('names input variables as the runner does', () => {
    expect(inputVariable('dry-run')).toBe('INPUT_DRY-RUN');
    expect(inputVariable('deployment-id')).toBe('INPUT_DEPLOYMENT-ID');
    expect(inputVariable('my input')).toBe('INPUT_MY_INPUT');
  });

  it('reads GITHUB_OUTPUT files in both of the formats @actions/core writes', () => {
    const file = [
      'sha<<ghadelimiter_1',
      'abc',
      'ghadelimiter_1',
      'notes<<ghadelimiter_2',
      '- one',
      '- two',
      'ghadelimiter_2',
      'plain=value=with=equals',
      '',
    ].join('\n');
    expect(parseOutputFile(file)).toEqual({ sha: 'abc', notes: '- one\n- two', plain: 'value=with=equals' });
  });

  it('runs bundles under Node 24, the runtime of runs.using: node24', () => {
    const runtime = nodeRuntime();
    expect(runtime.matchesRunner).toBe(true);
    expect(execFileSync(runtime.path, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
  });
});
