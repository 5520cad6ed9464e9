import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '@release-promotion/emulator';
import {
  CONFIG_EXAMPLE,
  DEFAULT_CONFIG_PATH,
  loadPromotionConfig,
  parsePromotionConfig,
  type LoadConfigRequest,
  type PromotionConfig,
} from '../src/chain/promotion-config.js';
import { InputError, UserError, describeError } from '../src/errors.js';
import { createGitHubClient } from '../src/github/client.js';
import { readRepositoryFile } from '../src/state/repository-file.js';

const FULL = `# yaml-language-server: $schema=../schema/promotion.schema.json
environments:
  - name: integration
    url: https://int.example.com
  - name: preproduction
    url: https://pre.example.com
    verify:
      - url: https://pre.example.com/healthz
        status: 200
  - name: production
    url: https://example.com
    approval: required
    prevent-self-approval: true
versioning:
  tag-prefix: release-
  initial: 0.1.0
  starts-at: production
environment-tag-prefix: deployed/
`;

/** The message of the UserError `run` throws (fails the test when it throws nothing or something else). */
function userErrorOf(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError, but nothing was thrown');
}

async function rejectionOf(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError, but the promise resolved');
}

describe('parsePromotionConfig', () => {
  it('reads the chain, every setting, versioning and the environment tag prefix', () => {
    const config = parsePromotionConfig(FULL, '.github/promotion.yml in the workspace');
    expect(config.chain.names).toEqual(['integration', 'preproduction', 'production']);
    expect(config.chain.environments).toEqual([
      {
        name: 'integration',
        url: 'https://int.example.com',
        approval: 'optional',
        preventSelfApproval: false,
      },
      {
        name: 'preproduction',
        url: 'https://pre.example.com',
        verify: [{ kind: 'http', url: 'https://pre.example.com/healthz', status: [200] }],
        approval: 'optional',
        preventSelfApproval: false,
      },
      { name: 'production', url: 'https://example.com', approval: 'required', preventSelfApproval: true },
    ]);
    expect(config.versioning).toEqual({ tagPrefix: 'release-', initial: '0.1.0', startsAt: 'production' });
    expect(config.environmentTagPrefix).toBe('deployed/');
    expect(config.source).toBe('.github/promotion.yml in the workspace');
  });

  it('fills the defaults: tag prefix v, 1.0.0, versions from the second environment, env/ tags', () => {
    const config = parsePromotionConfig('environments: [integration, preproduction, production]', 'x');
    expect(config.chain.environments).toEqual([
      { name: 'integration', approval: 'optional', preventSelfApproval: false },
      { name: 'preproduction', approval: 'optional', preventSelfApproval: false },
      { name: 'production', approval: 'optional', preventSelfApproval: false },
    ]);
    expect(config.versioning).toEqual({ tagPrefix: 'v', initial: '1.0.0', startsAt: 'preproduction' });
    expect(config.environmentTagPrefix).toBe('env/');
  });

  it('starts versions at the only environment of a one-environment chain', () => {
    expect(parsePromotionConfig('environments: [production]', 'x').versioning.startsAt).toBe('production');
  });

  it('accepts names and mappings mixed in one list, and an empty tag prefix', () => {
    const config = parsePromotionConfig(
      "environments:\n  - dev\n  - name: prod\n    approval: required\nversioning:\n  tag-prefix: ''\n",
      'x',
    );
    expect(config.chain.environments.map((environment) => [environment.name, environment.approval])).toEqual([
      ['dev', 'optional'],
      ['prod', 'required'],
    ]);
    expect(config.versioning.tagPrefix).toBe('');
  });

  it('names the field, its line, the closest key and the allowed keys for a misspelt key', () => {
    const error = userErrorOf(() =>
      parsePromotionConfig(
        'environments:\n  - name: a\n  - name: b\n  - name: c\n    prevent-self-aproval: true\n',
        '.github/promotion.yml in the workspace',
      ),
    );
    expect(error.message).toBe(
      '.github/promotion.yml in the workspace, line 5: environments[2] has an unknown key ' +
        "'prevent-self-aproval'. Did you mean 'prevent-self-approval'? " +
        'Allowed keys: name, url, verify, approval, prevent-self-approval, freeze, rollout.',
    );
  });

  it('lists the allowed keys without a guess when no key is close', () => {
    const error = userErrorOf(() => parsePromotionConfig('environments: [a]\ncomponent: web\n', 'x'));
    expect(error.message).toBe(
      "x, line 2: the file has an unknown key 'component'. Allowed keys: environments, versioning, environment-tag-prefix.",
    );
  });

  it('points at environments[n].approval and says what is allowed', () => {
    const error = userErrorOf(() =>
      parsePromotionConfig('environments:\n  - a\n  - b\n  - name: c\n    approval: yes\n', 'x'),
    );
    expect(error.message).toMatch(
      /^x, line 5: environments\[2\]\.approval is 'yes'\. Allowed values: 'required', 'optional'/,
    );
  });

  it('refuses duplicate names, ignoring case as GitHub does, at the second one', () => {
    const error = userErrorOf(() =>
      parsePromotionConfig(
        'environments:\n  - name: Production\n  - name: staging\n  - name: production\n',
        'x',
      ),
    );
    expect(error.message).toBe(
      "x, line 4: environments[2].name repeats the environment 'Production' (as 'production'; GitHub environment " +
        'names ignore case). List each environment once, in promotion order.',
    );
  });

  it('refuses an invalid environment name with the rule it breaks', () => {
    const error = userErrorOf(() => parsePromotionConfig('environments: [integration, "prod/eu"]', 'x'));
    expect(error.message).toMatch(
      /^x, line 1: environments\[1\] is 'prod\/eu': an environment name may contain only letters, digits/,
    );
  });

  it('gives the line and the lines around a YAML syntax error', () => {
    const error = userErrorOf(() =>
      parsePromotionConfig('environments:\n  - name: a\n    approval: required: yes\n', 'x'),
    );
    expect(error.message).toMatch(/^x is not valid YAML: .* at line 3, column 15\. Fix the YAML there/);
    expect(error.hint).toContain('approval: required: yes');
  });

  it('refuses a key written twice as a YAML error naming its line', () => {
    const error = userErrorOf(() => parsePromotionConfig('environments: [a]\nenvironments: [b]\n', 'x'));
    expect(error.message).toMatch(/Map keys must be unique at line 2/);
  });

  it('refuses a file with two YAML documents', () => {
    expect(() => parsePromotionConfig('environments: [a]\n---\nenvironments: [b]\n', 'x')).toThrow(
      /more than one YAML document/,
    );
  });

  it('reads anchors and aliases, but refuses an alias bomb', () => {
    const shared = 'x-common: &web {approval: required}\n';
    expect(() => parsePromotionConfig(`${shared}environments: [a]\n`, 'x')).toThrow(/unknown key 'x-common'/);
    const aliases = parsePromotionConfig(
      'environments:\n  - &first integration\n  - name: production\n    url: &u https://example.com\n',
      'x',
    );
    expect(aliases.chain.names).toEqual(['integration', 'production']);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const name of 'bcdefg') {
      const previous = String.fromCharCode(name.charCodeAt(0) - 1);
      bomb.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    expect(() => parsePromotionConfig(bomb.join('\n'), 'x')).toThrow(
      /^x cannot be read: .*Write it without aliases\./,
    );
  });

  it('refuses an empty file, showing an example', () => {
    const error = userErrorOf(() => parsePromotionConfig('# nothing yet\n', 'x'));
    expect(error.message).toMatch(/^x is empty\. List the environments/);
    expect(error.hint).toBe(CONFIG_EXAMPLE);
  });

  it('puts the file and line before the errors of a verify check', () => {
    const error = userErrorOf(() =>
      parsePromotionConfig(
        'environments:\n  - name: a\n    verify:\n      - url: https://a.example.com\n        status: 20\n',
        '.github/promotion.yml in the workspace',
      ),
    );
    expect(error.message).toMatch(
      /^\.github\/promotion\.yml in the workspace, line 4: environments\[0\]\.verify\[0\]\.status is the number 20/,
    );
  });

  it.each([
    [
      'versioning:\n  initial: v2.0.0',
      /line 3: versioning\.initial is 'v2\.0\.0'\. Write it without the 'v' \('2\.0\.0'\)/,
    ],
    ['versioning:\n  initial: 2.0', /versioning\.initial is the number 2, not a version/],
    ['versioning:\n  tag-prefix: "v 1"', /versioning\.tag-prefix is 'v 1', which may contain only letters/],
    [
      'versioning:\n  starts-at: prodution',
      /versioning\.starts-at is 'prodution', .*\(a -> production\)\. Did you mean 'production'\?/,
    ],
    [
      'environment-tag-prefix: ""',
      /environment-tag-prefix is empty\. Write the prefix of the environment tags/,
    ],
    [
      'environment-tag-prefix: x.lock/',
      /environment-tag-prefix is 'x\.lock\/', which is not valid inside a git ref/,
    ],
  ])('refuses %j with the field and what to write', (extra, message) => {
    expect(() => parsePromotionConfig(`environments: [a, production]\n${extra}\n`, 'x')).toThrow(message);
  });

  it.each([
    ['ftp://a.example.com', /uses 'ftp'; only http and https URLs are allowed/],
    ['https://deploy:hunter2@a.example.com', /contains credentials/],
    ['a.example.com', /is not a URL/],
  ])('refuses the URL %j', (url, message) => {
    const error = userErrorOf(() =>
      parsePromotionConfig(`environments:\n  - name: a\n    url: "${url}"\n`, 'x'),
    );
    expect(error.message).toMatch(/^x, line 3: environments\[0\]\.url is /);
    expect(error.message).toMatch(message);
    expect(error.message).toContain("e.g. 'https://staging.example.com'");
  });
});

describe('loadPromotionConfig', () => {
  let workspace: string;
  let emptyWorkspace: string;

  beforeAll(async () => {
    workspace = await mkdtemp(path.join(tmpdir(), 'promotion-config-'));
    emptyWorkspace = await mkdtemp(path.join(tmpdir(), 'promotion-config-empty-'));
    await mkdir(path.join(workspace, '.github'));
    await writeFile(path.join(workspace, DEFAULT_CONFIG_PATH), FULL);
    await mkdir(path.join(workspace, 'deploy'));
    await writeFile(path.join(workspace, 'deploy/chain.yml'), 'environments: [dev, prod]\n');
  });

  afterAll(async () => {
    await rm(workspace, { recursive: true, force: true });
    await rm(emptyWorkspace, { recursive: true, force: true });
  });

  /** A readRemoteFile that serves `files` and records what was asked. */
  function remote(files: Record<string, string>) {
    const asked: string[] = [];
    const read = async (filePath: string) => {
      asked.push(filePath);
      return files[filePath];
    };
    return { asked, read };
  }

  function request(overrides: Partial<LoadConfigRequest>): LoadConfigRequest {
    return { configPath: '', environmentsInput: '', workspace, ...overrides };
  }

  it('reads the default file from the workspace without asking the API', async () => {
    const api = remote({ [DEFAULT_CONFIG_PATH]: 'environments: [elsewhere]' });
    const config = await loadPromotionConfig(request({ readRemoteFile: api.read }));
    expect(config.chain.names).toEqual(['integration', 'preproduction', 'production']);
    expect(config.source).toBe('.github/promotion.yml in the workspace');
    expect(api.asked).toEqual([]);
  });

  it('reads the file through the API when the repository is not checked out', async () => {
    const api = remote({ [DEFAULT_CONFIG_PATH]: 'environments: [int, prod]' });
    const config = await loadPromotionConfig(
      request({ workspace: emptyWorkspace, readRemoteFile: api.read }),
    );
    expect(config.chain.names).toEqual(['int', 'prod']);
    expect(config.source).toBe('.github/promotion.yml at the released commit (GitHub API)');
    expect(api.asked).toEqual([DEFAULT_CONFIG_PATH]);
  });

  it('reads a `config` path relative to the workspace, normalised', async () => {
    const config = await loadPromotionConfig(request({ configPath: './deploy//chain.yml' }));
    expect(config.chain.names).toEqual(['dev', 'prod']);
    expect(config.source).toBe('deploy/chain.yml in the workspace');
  });

  it('lets the environments input replace the chain, keeping settings, versioning and tag prefix from the file', async () => {
    const config = await loadPromotionConfig(request({ environmentsInput: 'qa, Production' }));
    expect(config.chain.environments).toEqual([
      { name: 'qa', approval: 'optional', preventSelfApproval: false },
      { name: 'Production', url: 'https://example.com', approval: 'required', preventSelfApproval: true },
    ]);
    // starts-at: production is still in the chain (names ignore case) and keeps the input's spelling.
    expect(config.versioning).toEqual({ tagPrefix: 'release-', initial: '0.1.0', startsAt: 'Production' });
    expect(config.environmentTagPrefix).toBe('deployed/');
    expect(config.source).toBe(
      "the 'environments' input, with settings from .github/promotion.yml in the workspace",
    );
  });

  it('falls back to the default starts-at when the input drops the environment the file names', async () => {
    const config = await loadPromotionConfig(request({ environmentsInput: 'dev, staging, live' }));
    expect(config.versioning.startsAt).toBe('staging');
  });

  it('works from the environments input alone when there is no file', async () => {
    const api = remote({});
    const config: PromotionConfig = await loadPromotionConfig(
      request({
        workspace: emptyWorkspace,
        environmentsInput: 'integration, production',
        readRemoteFile: api.read,
      }),
    );
    expect(config.chain.environments).toEqual([
      { name: 'integration', approval: 'optional', preventSelfApproval: false },
      { name: 'production', approval: 'optional', preventSelfApproval: false },
    ]);
    expect(config.versioning).toEqual({ tagPrefix: 'v', initial: '1.0.0', startsAt: 'production' });
    expect(config.environmentTagPrefix).toBe('env/');
    expect(config.source).toBe("the 'environments' input");
    expect(api.asked).toEqual([DEFAULT_CONFIG_PATH]);
  });

  it('says to add the file or set the input, with an example, when there is neither', async () => {
    const api = remote({});
    const error = await rejectionOf(
      loadPromotionConfig(request({ workspace: emptyWorkspace, readRemoteFile: api.read })),
    );
    expect(error.message).toBe(
      'No promotion configuration: .github/promotion.yml was not found in the workspace or at the released commit (GitHub API), ' +
        "and the 'environments' input is empty. Add .github/promotion.yml listing the environments in promotion " +
        "order (example below), or set the 'environments' input, e.g. 'environments: integration, production'.",
    );
    expect(error.hint).toBe('environments:\n  - integration\n  - production');
    expect(describeError(error).split('\n')).toHaveLength(4);
  });

  it('refuses a `config` input naming a missing file, even with the environments input', async () => {
    const error = await rejectionOf(
      loadPromotionConfig(request({ configPath: 'deploy/missing.yml', environmentsInput: 'a, b' })),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /^Input 'config' names 'deploy\/missing\.yml', which was not found in the workspace\./,
    );
  });

  it.each([
    ['/etc/promotion.yml', /is '\/etc\/promotion\.yml', an absolute path/],
    ['C:\\promotion.yml', /an absolute path/],
    ['../other/promotion.yml', /leads outside the repository/],
    ['.github/../../promotion.yml', /leads outside the repository/],
    ['.github/', /a directory/],
  ])('refuses the config path %j before reading anything', async (configPath, message) => {
    const api = remote({});
    const error = await rejectionOf(loadPromotionConfig(request({ configPath, readRemoteFile: api.read })));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(message);
    expect(api.asked).toEqual([]);
  });

  it('refuses a config path naming a directory of the workspace', async () => {
    await expect(loadPromotionConfig(request({ configPath: 'deploy' }))).rejects.toThrow(
      /names 'deploy', which is a directory in the workspace/,
    );
  });

  it('validates the environments input before reading the file', async () => {
    const api = remote({});
    await expect(
      loadPromotionConfig(
        request({ workspace: emptyWorkspace, environmentsInput: 'a, a', readRemoteFile: api.read }),
      ),
    ).rejects.toThrow(/'a' appears twice in the 'environments' input/);
    expect(api.asked).toEqual([]);
  });

  it('reports a mistake in the file even when the environments input is given', async () => {
    const api = remote({ [DEFAULT_CONFIG_PATH]: 'environments: [a]\nversioning: {initial: one}\n' });
    await expect(
      loadPromotionConfig(
        request({ workspace: undefined, environmentsInput: 'a, b', readRemoteFile: api.read }),
      ),
    ).rejects.toThrow(
      /^\.github\/promotion\.yml at the released commit \(GitHub API\), line 2: versioning\.initial/,
    );
  });
});

describe('readRepositoryFile and loading through the contents API (emulator)', () => {
  let emulator: Emulator;
  let before: string;
  let after: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    before = emulator.git.commit('chore: before the configuration');
    after = emulator.seed.file(DEFAULT_CONFIG_PATH, 'environments: [integration, production] # é\n');
  });

  afterAll(async () => {
    expect(emulator.problems).toEqual([]);
    await emulator.close();
  });

  function client() {
    return createGitHubClient({ token: 't', baseUrl: emulator.url, retries: 0 });
  }

  function repository() {
    return { owner: emulator.owner, repo: emulator.repo };
  }

  it('returns the decoded text of a file at a commit, in one request', async () => {
    emulator.resetLog();
    const text = await readRepositoryFile(client(), repository(), DEFAULT_CONFIG_PATH, after);
    expect(text).toBe('environments: [integration, production] # é\n');
    expect(emulator.requestCounts()).toEqual({ 'GET /repos/{owner}/{repo}/contents/{path}': 1 });
  });

  it('returns undefined for a file missing at that commit', async () => {
    expect(await readRepositoryFile(client(), repository(), DEFAULT_CONFIG_PATH, before)).toBeUndefined();
    expect(await readRepositoryFile(client(), repository(), 'no/such/file.yml', after)).toBeUndefined();
  });

  it('refuses a directory', async () => {
    await expect(readRepositoryFile(client(), repository(), '.github', after)).rejects.toThrow(
      new UserError(
        `'.github' in ${emulator.owner}/${emulator.repo} at ${after.slice(0, 7)} is a directory, not a file. Give the path of a file.`,
      ),
    );
  });

  it('lets loadPromotionConfig read the file at the released commit', async () => {
    const config = await loadPromotionConfig({
      configPath: '',
      environmentsInput: '',
      workspace: undefined,
      readRemoteFile: (filePath) => readRepositoryFile(client(), repository(), filePath, after),
    });
    expect(config.chain.names).toEqual(['integration', 'production']);
    expect(config.source).toBe('.github/promotion.yml at the released commit (GitHub API)');
  });
});
