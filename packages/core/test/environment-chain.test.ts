import { describe, expect, it } from '@jest/globals';
import { EnvironmentChain, parseEnvironmentList } from '../src/chain/environment-chain.js';
import { UserError } from '../src/errors.js';

describe('parseEnvironmentList', () => {
  it('reads names separated by commas, arrows or newlines, in order', () => {
    expect(parseEnvironmentList('integration, preproduction, production')?.names).toEqual([
      'integration',
      'preproduction',
      'production',
    ]);
    expect(parseEnvironmentList('int -> pre -> prod')?.names).toEqual(['int', 'pre', 'prod']);
    expect(parseEnvironmentList('integration,\nproduction,\n')?.names).toEqual(['integration', 'production']);
  });

  it('returns undefined for an empty list', () => {
    expect(parseEnvironmentList('')).toBeUndefined();
    expect(parseEnvironmentList(' , \n')).toBeUndefined();
  });

  it.each([
    ['../x', /may contain only letters/],
    ['refs/heads/main', /may contain only letters/],
    ['my env', /may contain only letters/],
    ['a'.repeat(256), /256 characters long; GitHub allows at most 255/],
    ['prod.lock', /not valid inside a git ref/],
    ['a..b', /not valid inside a git ref/],
    ['-prod', /must start with a letter or digit/],
  ])('refuses the name %j', (name, message) => {
    expect(() => parseEnvironmentList(`integration, ${name}`)).toThrow(message);
  });

  it('refuses duplicates, ignoring case as GitHub does', () => {
    expect(() => parseEnvironmentList('prod, staging, prod')).toThrow(/'prod' appears twice/);
    expect(() => parseEnvironmentList('Production, production')).toThrow(
      /GitHub environment names ignore case/,
    );
  });
});

describe('EnvironmentChain', () => {
  const chain = new EnvironmentChain([
    { name: 'integration' },
    { name: 'preproduction' },
    { name: 'production' },
  ]);

  it('knows neighbours, first and last', () => {
    expect(chain.previous('integration')).toBeUndefined();
    expect(chain.previous('production')?.name).toBe('preproduction');
    expect(chain.next('integration')?.name).toBe('preproduction');
    expect(chain.next('production')).toBeUndefined();
    expect(chain.isFirst('integration')).toBe(true);
    expect(chain.isLast('production')).toBe(true);
    expect(chain.isLast('preproduction')).toBe(false);
  });

  it('names the chain when an environment is not in it', () => {
    expect(() => chain.get('staging')).toThrow(UserError);
    expect(() => chain.get('staging')).toThrow(
      "Environment 'staging' is not in the chain (integration -> preproduction -> production)",
    );
  });

  it.each([
    { given: 'prodution', suggests: 'production' },
    { given: 'Prodution', suggests: 'production' },
    { given: 'preprod', suggests: undefined },
    { given: 'integratoin', suggests: 'integration' },
    { given: 'prepoduction', suggests: 'preproduction' },
    { given: 'staging', suggests: undefined },
    { given: 'prod', suggests: undefined },
  ])('suggests the closest environment for $given: $suggests', ({ given, suggests }) => {
    let message = '';
    try {
      chain.get(given);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`Environment '${given}' is not in the chain`);
    if (suggests === undefined) expect(message).not.toContain('Did you mean');
    else
      expect(message).toContain(
        `(integration -> preproduction -> production). Did you mean '${suggests}'? Set 'environment'`,
      );
  });

  it('refuses an empty chain', () => {
    expect(() => new EnvironmentChain([])).toThrow(/lists no environments/);
  });
});
