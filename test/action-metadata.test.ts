import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { parseAction } from '@actions/workflow-parser/actions/index';
import { NoOperationTraceWriter } from '@actions/workflow-parser';
import { ACTION_NAMES, readActionMetadata } from './harness/action-metadata.js';

const COMMON_INPUTS = ['token', 'environment', 'config', 'environments', 'dry-run'];

describe("GitHub's action parser", () => {
  it('reports errors in a broken action.yml, so the checks below can fail', () => {
    const result = parseAction(
      {
        name: 'broken/action.yml',
        content: 'name: x\ndescription: y\nruns:\n  using: node99\n  mian: index.js\n',
      },
      new NoOperationTraceWriter(),
    );
    expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
  });
});

describe.each(ACTION_NAMES)('%s/action.yml', (action) => {
  const metadata = readActionMetadata(action);

  it("parses without errors with GitHub's own action parser", () => {
    const result = parseAction(
      { name: `${action}/action.yml`, content: readFileSync(metadata.file, 'utf8') },
      new NoOperationTraceWriter(),
    );
    expect(result.context.errors.getErrors().map((error) => error.message)).toEqual([]);
    expect(result.value).toBeDefined();
  });

  it('runs the committed node24 bundle', () => {
    expect(metadata.runs.using).toBe('node24');
    expect(metadata.runs.main).toBe(`../dist/${action}/index.js`);
    expect(existsSync(metadata.mainPath)).toBe(true);
  });

  it('takes the inputs every action takes, and describes every input and output', () => {
    for (const input of COMMON_INPUTS) expect(Object.keys(metadata.inputs)).toContain(input);
    expect(metadata.inputs.token?.default).toBe('${{ github.token }}');
    for (const [name, input] of Object.entries({ ...metadata.inputs, ...metadata.outputs })) {
      expect([name, (input.description ?? '').length > 10]).toEqual([name, true]);
    }
  });
});
