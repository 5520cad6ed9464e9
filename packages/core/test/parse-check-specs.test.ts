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
    [
      'no kind of check',
      [{ name: 'x' }],
      /^checks\[0\] has neither 'url' nor 'run' nor 'prometheus'\. Give one of them/,
    ],
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

describe('parseCheckSpecs, Prometheus checks', () => {
  const server = 'http://prometheus.internal:9090';

  it('parses every field, no-data defaulting to fail', () => {
    const specs = parseCheckSpecs(
      [
        {
          prometheus: ` ${server} `,
          query: 'sum(rate(http_requests_total{code=~"5.."}[5m]))',
          below: 0.01,
          'no-data': 'pass',
          name: 'error ratio',
          headers: { Authorization: 'Bearer ${PROM_TOKEN}', 'X-Scope-OrgID': 'team-$1' },
        },
        { prometheus: 'https://example.com/prometheus/', query: 'up', 'at-least': 1 },
        { prometheus: server, query: 'x', above: -2 },
        { prometheus: server, query: 'x', 'at-most': 0 },
        { prometheus: server, query: 'x', equals: 3, 'no-data': 'fail' },
      ],
      'checks',
    );
    expect(specs).toEqual([
      {
        kind: 'prometheus',
        server,
        query: 'sum(rate(http_requests_total{code=~"5.."}[5m]))',
        comparison: 'below',
        threshold: 0.01,
        noData: 'pass',
        name: 'error ratio',
        headers: { Authorization: 'Bearer ${PROM_TOKEN}', 'X-Scope-OrgID': 'team-$1' },
      },
      {
        kind: 'prometheus',
        server: 'https://example.com/prometheus/',
        query: 'up',
        comparison: 'at-least',
        threshold: 1,
        noData: 'fail',
      },
      { kind: 'prometheus', server, query: 'x', comparison: 'above', threshold: -2, noData: 'fail' },
      { kind: 'prometheus', server, query: 'x', comparison: 'at-most', threshold: 0, noData: 'fail' },
      { kind: 'prometheus', server, query: 'x', comparison: 'equals', threshold: 3, noData: 'fail' },
    ]);
  });

  const check = (fields: Record<string, unknown>) => [
    { prometheus: server, query: 'up', below: 1, ...fields },
  ];
  const bad: Array<[string, unknown, RegExp]> = [
    [
      'url and prometheus',
      check({ url: 'https://x.example' }),
      /^checks\[0\] has both 'url' and 'prometheus'/,
    ],
    ['run and prometheus', check({ run: 'true' }), /^checks\[0\] has both 'run' and 'prometheus'/],
    [
      'no prometheus value',
      check({ prometheus: null }),
      /^checks\[0\]\.prometheus is empty\. Give the Prometheus/,
    ],
    [
      'a relative server',
      check({ prometheus: 'prometheus:9090' }),
      /^checks\[0\]\.prometheus uses the scheme 'prometheus'/,
    ],
    [
      'a server that is not a URL',
      check({ prometheus: 'not a url' }),
      /^checks\[0\]\.prometheus is 'not a url', which is not a URL/,
    ],
    [
      'credentials in the server',
      check({ prometheus: 'https://u:p@p.example' }),
      /^checks\[0\]\.prometheus contains credentials.*'headers'/,
    ],
    [
      'a server with a fragment',
      check({ prometheus: 'http://p:9090/#x' }),
      /^checks\[0\]\.prometheus is 'http:\/\/p:9090\/#x', which has a query or fragment/,
    ],
    [
      'an unexpanded expression',
      check({ prometheus: '${{ vars.PROM }}' }),
      /^checks\[0\]\.prometheus contains an unexpanded expression/,
    ],
    [
      'no query',
      [{ prometheus: server, below: 1 }],
      /^checks\[0\]\.query is missing\. Give the PromQL expression/,
    ],
    ['an empty query', check({ query: '' }), /^checks\[0\]\.query is an empty string/],
    ['a query that is a number', check({ query: 5 }), /^checks\[0\]\.query is the number 5\./],
    [
      'no comparison',
      [{ prometheus: server, query: 'up' }],
      /^checks\[0\] has no comparison: give one of 'below', 'above', 'at-most', 'at-least' or 'equals' with the threshold, e\.g\. 'below: 0\.01'/,
    ],
    [
      'two comparisons',
      check({ 'at-least': 0 }),
      /^checks\[0\] has both 'below' and 'at-least': give exactly one comparison/,
    ],
    [
      'a threshold as text',
      check({ below: '1' }),
      /^checks\[0\]\.below is '1'\. Give the threshold as a finite number without quotes/,
    ],
    [
      'a NaN threshold',
      check({ below: NaN }),
      /^checks\[0\]\.below is the number NaN\. Give the threshold as a finite number/,
    ],
    [
      'an infinite threshold',
      [{ prometheus: server, query: 'up', above: -Infinity }],
      /^checks\[0\]\.above is the number -Infinity\./,
    ],
    [
      'an empty threshold',
      [{ prometheus: server, query: 'up', equals: null }],
      /^checks\[0\]\.equals is empty\./,
    ],
    [
      'an unknown no-data',
      check({ 'no-data': 'ignore' }),
      /^checks\[0\]\.no-data is 'ignore'\. Write 'fail'/,
    ],
    ['no-data as a boolean', check({ 'no-data': true }), /^checks\[0\]\.no-data is the boolean true\./],
    [
      'headers as text',
      check({ headers: 'Authorization: x' }),
      /^checks\[0\]\.headers is 'Authorization: x', not a mapping/,
    ],
    [
      'a header name with a colon',
      check({ headers: { 'Authorization:': 'x' } }),
      /^checks\[0\]\.headers has the header name 'Authorization:', which is not a valid HTTP header name/,
    ],
    [
      'a header given twice',
      check({ headers: { 'X-Org': 'a', 'x-org': 'b' } }),
      /^checks\[0\]\.headers has 'X-Org' and 'x-org': header names ignore case/,
    ],
    ['an empty header value', check({ headers: { A: ' ' } }), /^checks\[0\]\.headers\.A is an empty string/],
    [
      'a header value that is a list',
      check({ headers: { A: ['x'] } }),
      /^checks\[0\]\.headers\.A is a list\./,
    ],
    [
      'an unclosed reference',
      check({ headers: { A: 'Bearer ${PROM_TOKEN' } }),
      /^checks\[0\]\.headers\.A has '\$\{PROM_TOKEN', which does not name a variable/,
    ],
    [
      'a reference to a bad name',
      check({ headers: { A: '${1TOKEN}' } }),
      /^checks\[0\]\.headers\.A has '\$\{1TOKEN\}', which does not name a variable/,
    ],
    ['an empty reference', check({ headers: { A: 'x ${}' } }), /^checks\[0\]\.headers\.A has '\$\{\}'/],
    [
      'an expression in a header',
      check({ headers: { A: 'Bearer ${{ secrets.PROM_TOKEN }}' } }),
      /^checks\[0\]\.headers\.A contains an expression \('\$\{\{ … \}\}'\), which GitHub expands only in workflow files/,
    ],
    [
      'a line break in a header',
      check({ headers: { A: 'a\nb' } }),
      /^checks\[0\]\.headers\.A contains a line break/,
    ],
    [
      'a misspelt comparison',
      check({ below: undefined, at_most: 1 }),
      /unknown key 'at_most'\. Did you mean 'at-most'\?/,
    ],
    [
      'a misspelt key',
      check({ header: {} }),
      /^checks\[0\] has an unknown key 'header'\. Did you mean 'headers'\? Allowed keys for a Prometheus check: prometheus, query, name, below/,
    ],
    [
      'an HTTP key',
      check({ 'max-latency': 5 }),
      /^checks\[0\]\.max-latency applies to HTTP checks \(url\), not to Prometheus checks \(prometheus\)\. Remove it\./,
    ],
    [
      'a Prometheus key on an HTTP check',
      [{ url: 'https://x.example', below: 1 }],
      /^checks\[0\]\.below applies to Prometheus checks \(prometheus\), not to HTTP checks \(url\)/,
    ],
    [
      'a Prometheus key on a command check',
      [{ run: 'true', query: 'up' }],
      /^checks\[0\]\.query applies to Prometheus checks \(prometheus\), not to command checks \(run\)\. Remove it, or check/,
    ],
    [
      'a misspelt prometheus',
      [{ promethues: server, query: 'up', below: 1 }],
      /^checks\[0\] has neither .* \(did you mean 'prometheus' instead of 'promethues'\?\)/,
    ],
    [
      'Prometheus keys without prometheus',
      [{ query: 'up', below: 1 }],
      /^checks\[0\] has 'query' but no 'prometheus'\. A Prometheus check needs the server's base URL/,
    ],
  ];

  it.each(bad)('refuses %s, naming the field', (_label, value, message) => {
    const error = errorOf(() => parseCheckSpecs(value, 'checks'));
    expect(error.message).toMatch(message);
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
