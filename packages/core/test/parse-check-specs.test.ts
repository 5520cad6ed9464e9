import { describe, expect, it } from '@jest/globals';
import { InputError, UserError } from '../src/errors.js';
import { parseChecksInput, parseCheckSpecs, urlCheck } from '../src/checks/parse-check-specs.js';
import { parseVerificationOptions } from '../src/checks/verification-options.js';

function errorOf(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as Error;
  }
  throw new Error('expected an error, got none');
}

describe('parseCheckSpecs', () => {
  it('parses HTTP and command checks with every field', () => {
    const specs = parseCheckSpecs(
      [
        {
          url: 'https://pre.example.com/healthz',
          name: 'health',
          status: [200, 204, 200],
          'body-contains': 'ok',
          'body-matches': '"status":\\s*"up"',
          'max-latency': '2s',
        },
        { url: 'http://127.0.0.1:8080/', status: 301, 'max-latency': 250 },
        { url: 'https://example.com', 'max-latency': '500ms' },
        { run: './smoke.sh --env pre', name: 'smoke' },
        { run: 'true' },
      ],
      'environments[1].verify',
    );
    expect(specs).toEqual([
      {
        kind: 'http',
        url: 'https://pre.example.com/healthz',
        name: 'health',
        status: [200, 204],
        bodyContains: 'ok',
        bodyMatches: '"status":\\s*"up"',
        maxLatencyMs: 2000,
      },
      { kind: 'http', url: 'http://127.0.0.1:8080/', status: [301], maxLatencyMs: 250 },
      { kind: 'http', url: 'https://example.com', maxLatencyMs: 500 },
      { kind: 'command', run: './smoke.sh --env pre', name: 'smoke' },
      { kind: 'command', run: 'true' },
    ]);
  });

  it('gives no checks for a missing or empty list', () => {
    expect(parseCheckSpecs(undefined, 'verify')).toEqual([]);
    expect(parseCheckSpecs(null, 'verify')).toEqual([]);
    expect(parseCheckSpecs([], 'verify')).toEqual([]);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['not a list', { url: 'https://x.example' }, /^checks is a mapping, not a list of checks\..*'- '/],
    [
      'an entry that is a string',
      ['https://x.example'],
      /^checks\[0\] is 'https:\/\/x\.example', not a check/,
    ],
    [
      'both url and run',
      [{ url: 'https://x.example', run: 'true' }],
      /^checks\[0\] has both 'url' and 'run'/,
    ],
    ['neither url nor run', [{ name: 'x' }], /^checks\[0\] has neither 'url' nor 'run'\. Give one of them/],
    ['a misspelt url', [{ ulr: 'https://x.example' }], /did you mean 'url' instead of 'ulr'\?/],
    [
      'an unknown key',
      [{ url: 'https://x.example', 'body-contain': 'ok' }],
      /checks\[0\] has an unknown key 'body-contain'\. Did you mean 'body-contains'\?/,
    ],
    [
      'a camelCase key',
      [{ url: 'https://x.example', maxLatency: 5 }],
      /unknown key 'maxLatency'\. Did you mean 'max-latency'\?/,
    ],
    [
      'an unrelated key',
      [{ url: 'https://x.example', retries: 3 }],
      /unknown key 'retries'\. Allowed keys for an HTTP check: url, name, status/,
    ],
    [
      'an HTTP key on a command check',
      [{ run: 'true', status: 200 }],
      /^checks\[0\]\.status applies to HTTP checks \(url\), not to command checks/,
    ],
    [
      'a status out of range',
      [{ url: 'https://x.example', status: 600 }],
      /^checks\[0\]\.status is the number 600\. A status is a whole number from 100 to 599/,
    ],
    [
      'a status as text',
      [{ url: 'https://x.example', status: '200' }],
      /^checks\[0\]\.status is '200'\. A status is a whole number/,
    ],
    [
      'a fractional status',
      [{ url: 'https://x.example', status: 200.5 }],
      /^checks\[0\]\.status is the number 200\.5\./,
    ],
    [
      'a bad status in a list',
      [{ url: 'https://x.example' }, { url: 'https://y.example', status: [200, 99] }],
      /^checks\[1\]\.status\[1\] is the number 99\./,
    ],
    [
      'an empty status list',
      [{ url: 'https://x.example', status: [] }],
      /^checks\[0\]\.status is an empty list/,
    ],
    [
      'an ftp URL',
      [{ url: 'ftp://x.example/file' }],
      /^checks\[0\]\.url uses the scheme 'ftp'\. Only http and https/,
    ],
    ['a file URL', [{ url: 'file:///etc/passwd' }], /uses the scheme 'file'/],
    ['a javascript URL', [{ url: 'javascript:alert(1)' }], /uses the scheme 'javascript'/],
    [
      'credentials in the URL',
      [{ url: 'https://user:secret@x.example/' }],
      /^checks\[0\]\.url contains credentials/,
    ],
    ['a user name in the URL', [{ url: 'https://user@x.example/' }], /contains credentials/],
    ['a relative URL', [{ url: '/healthz' }], /^checks\[0\]\.url is '\/healthz', which is not a URL/],
    ['an empty URL', [{ url: '' }], /^checks\[0\]\.url is an empty string\. Give the http\(s\) URL/],
    ['a URL that is a number', [{ url: 42 }], /^checks\[0\]\.url is the number 42\./],
    ['an unexpanded expression', [{ url: 'https://${{ vars.HOST }}/healthz' }], /unexpanded expression/],
    [
      'an invalid regular expression',
      [{ url: 'https://x.example', 'body-matches': '(unclosed' }],
      /^checks\[0\]\.body-matches is not a valid regular expression/,
    ],
    [
      'a regular expression that is a number',
      [{ url: 'https://x.example', 'body-matches': 5 }],
      /^checks\[0\]\.body-matches is the number 5\./,
    ],
    [
      'an empty body-contains',
      [{ url: 'https://x.example', 'body-contains': '' }],
      /^checks\[0\]\.body-contains is an empty string/,
    ],
    [
      'a body-contains that is a boolean',
      [{ url: 'https://x.example', 'body-contains': true }],
      /is the boolean true\. .*quote it/,
    ],
    [
      'a latency with a bad unit',
      [{ url: 'https://x.example', 'max-latency': '2m' }],
      /^checks\[0\]\.max-latency is '2m'\. .*'500ms', '2s'/,
    ],
    ['a zero latency', [{ url: 'https://x.example', 'max-latency': 0 }], /max-latency is the number 0\./],
    [
      'a negative latency',
      [{ url: 'https://x.example', 'max-latency': -5 }],
      /max-latency is the number -5\./,
    ],
    [
      'a huge latency',
      [{ url: 'https://x.example', 'max-latency': '601s' }],
      /max-latency is '601s'\..*at most 600 s/,
    ],
    ['an empty command', [{ run: '  ' }], /^checks\[0\]\.run is an empty string\. Give the bash command/],
    ['a command that is a list', [{ run: ['a', 'b'] }], /^checks\[0\]\.run is a list\./],
    ['an empty name', [{ url: 'https://x.example', name: '' }], /^checks\[0\]\.name is an empty string/],
    ['a url key with no value', [{ url: null }], /^checks\[0\]\.url is empty\./],
  ];

  it.each(bad)('refuses %s, naming the location', (_label, value, message) => {
    const error = errorOf(() => parseCheckSpecs(value, 'checks'));
    expect(error.message).toMatch(message);
  });

  it('names the source it is given', () => {
    const error = errorOf(() =>
      parseCheckSpecs([{ run: 'true' }, { url: 'https://x', status: 'ok' }], 'environments[2].verify'),
    );
    expect(error.message).toMatch(/^environments\[2\]\.verify\[1\]\.status is 'ok'/);
  });
});

describe('parseChecksInput', () => {
  it('parses a YAML list', () => {
    const specs = parseChecksInput(
      [
        '- url: https://x.example/healthz',
        '  status: [200, 204]',
        "- run: 'curl -fsS https://x.example'",
      ].join('\n'),
    );
    expect(specs).toEqual([
      { kind: 'http', url: 'https://x.example/healthz', status: [200, 204] },
      { kind: 'command', run: 'curl -fsS https://x.example' },
    ]);
  });

  it('gives no checks for empty text', () => {
    expect(parseChecksInput('  \n')).toEqual([]);
  });

  it('refuses text that is not YAML, as an input error', () => {
    const error = errorOf(() => parseChecksInput('- url: [unclosed'));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^Input 'checks' is not valid YAML/);
  });

  it('refuses duplicate keys', () => {
    const error = errorOf(() => parseChecksInput('- url: https://a.example\n  url: https://b.example'));
    expect(error.message).toMatch(/Input 'checks' is not valid YAML/);
  });

  it('locates problems under checks', () => {
    const error = errorOf(() =>
      parseChecksInput('- url: https://a.example\n- url: https://b.example\n  stauts: 200'),
    );
    expect(error.message).toMatch(/^checks\[1\] has an unknown key 'stauts'\. Did you mean 'status'\?/);
  });
});

describe('urlCheck', () => {
  it('expects any 2xx of the URL', () => {
    expect(urlCheck(' https://x.example/healthz ', 'url')).toEqual({
      kind: 'http',
      url: 'https://x.example/healthz',
    });
  });

  it('refuses what a check URL may not be', () => {
    expect(errorOf(() => urlCheck('ssh://x.example', 'url')).message).toMatch(/^url uses the scheme 'ssh'/);
    expect(errorOf(() => urlCheck('https://a:b@x.example', 'url')).message).toMatch(
      /^url contains credentials/,
    );
    expect(errorOf(() => urlCheck('', 'url')).message).toMatch(/^url is an empty string/);
  });
});

describe('parseVerificationOptions', () => {
  const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

  it('applies the defaults', () => {
    expect(parseVerificationOptions(reader({}))).toEqual({
      attempts: 5,
      intervalMs: 10_000,
      timeoutMs: 10_000,
      bakeTimeMs: 0,
    });
  });

  it('reads seconds, fractions included, as milliseconds', () => {
    expect(
      parseVerificationOptions(
        reader({ attempts: '100', interval: '0.5', timeout: '600', 'bake-time': '86400' }),
      ),
    ).toEqual({ attempts: 100, intervalMs: 500, timeoutMs: 600_000, bakeTimeMs: 86_400_000 });
    expect(
      parseVerificationOptions(reader({ attempts: ' 1 ', interval: '0', 'bake-time': '0' })),
    ).toMatchObject({
      attempts: 1,
      intervalMs: 0,
      bakeTimeMs: 0,
    });
  });

  const bad: Array<[string, string, RegExp]> = [
    ['attempts', '0', /^Input 'attempts' is '0'\. .*whole number from 1 to 100/],
    ['attempts', '101', /whole number from 1 to 100/],
    ['attempts', '2.5', /^Input 'attempts' is '2\.5'/],
    ['attempts', '-1', /^Input 'attempts' is '-1'/],
    ['attempts', 'abc', /^Input 'attempts' is 'abc'/],
    ['attempts', '1e9', /^Input 'attempts' is '1e9'/],
    ['interval', '-1', /^Input 'interval' is '-1'\. .*in seconds, a number from 0 to 3600/],
    ['interval', '3601', /from 0 to 3600/],
    ['interval', 'NaN', /^Input 'interval' is 'NaN'/],
    ['interval', '10s', /^Input 'interval' is '10s'/],
    ['timeout', '0', /^Input 'timeout' is '0'\. .*more than 0 and at most 600/],
    ['timeout', '601', /more than 0 and at most 600/],
    ['timeout', '1e9', /^Input 'timeout' is '1e9'/],
    ['timeout', 'Infinity', /^Input 'timeout' is 'Infinity'/],
    ['bake-time', '86401', /^Input 'bake-time' is '86401'\. .*from 0 to 86400/],
    ['bake-time', '-5', /^Input 'bake-time' is '-5'/],
    ['bake-time', '0x10', /^Input 'bake-time' is '0x10'/],
  ];

  it.each(bad)("refuses %s '%s'", (name, value, message) => {
    let caught: unknown;
    try {
      parseVerificationOptions(reader({ [name]: value }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).input).toBe(name);
    expect((caught as Error).message).toMatch(message);
  });
});
