import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import semver from 'semver';
import { parse as parseYaml } from 'yaml';
import { closestMatch } from '../src/chain/closest-match.js';
import { promotionJsonSchema } from '../src/chain/config-json-schema.js';
import {
  DATE_TIME_PATTERN,
  END_TIME_OF_DAY_PATTERN,
  environmentUrlProblem,
  isStrictSemver,
  TAG_PREFIX_PATTERN,
  tagPrefixProblem,
  TIME_OF_DAY_PATTERN,
  URL_PATTERN,
} from '../src/chain/config-values.js';
import { parseDateTime } from '../src/chain/freeze-windows.js';
import { parsePromotionConfig } from '../src/chain/promotion-config.js';
import { ENVIRONMENT_NAME_SCHEMA_PATTERN, environmentNameProblem } from '../src/chain/environment-name.js';
import { UserError } from '../src/errors.js';

/** The parts of Ajv 8 this test uses. */
interface AjvInstance {
  compile(schema: object): AjvValidate;
}
interface AjvValidate {
  (data: unknown): boolean;
  errors?: { instancePath: string; message?: string }[] | null;
}
type AjvConstructor = new (options: Record<string, unknown>) => AjvInstance;

// The root node_modules holds eslint's Ajv 6; Ajv 8 is the emulator package's dependency, so it is loaded from there.
const requireFromEmulator = createRequire(
  fileURLToPath(new URL('../../emulator/package.json', import.meta.url)),
);
const ajvModule = requireFromEmulator('ajv') as { Ajv: AjvConstructor };
const ajvVersion = (requireFromEmulator('ajv/package.json') as { version: string }).version;

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const schemaPath = path.join(repositoryRoot, 'schema', 'promotion.schema.json');
const schemaText = readFileSync(schemaPath, 'utf8');
const schema = JSON.parse(schemaText) as { description: string };
const validate = new ajvModule.Ajv({ strict: true, allErrors: true }).compile(schema);

function schemaAccepts(yaml: string): boolean {
  return validate(parseYaml(yaml));
}

function parserProblem(yaml: string): string | undefined {
  try {
    parsePromotionConfig(yaml, 'test.yml');
    return undefined;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return error.message;
  }
}

const GOOD: [string, string][] = [
  ['the plain list of names', 'environments: [integration, production]'],
  ['a single environment', 'environments: [production]'],
  [
    'the full example',
    `
environments:
  - name: integration
    url: https://int.example.com
  - name: preproduction
    url: https://pre.example.com
    verify:
      - url: https://pre.example.com/healthz
        status: 200
      - run: ./smoke-test.sh
        name: smoke
  - name: production
    url: https://example.com
    approval: required
    prevent-self-approval: true
versioning:
  tag-prefix: v
  initial: 1.0.0
  starts-at: preproduction
environment-tag-prefix: env/
`,
  ],
  ['names and mappings mixed', 'environments: [dev, {name: prod, approval: optional}]'],
  ['an empty tag prefix', "environments: [a, b]\nversioning: {tag-prefix: ''}"],
  ['a tag prefix with a folder', 'environments: [a, b]\nversioning: {tag-prefix: releases/v}'],
  ['a prerelease initial version', 'environments: [a, b]\nversioning: {initial: 0.1.0-rc.1}'],
  ['a version with build metadata', 'environments: [a, b]\nversioning: {initial: 1.0.0+build.5}'],
  ['starts-at the first environment', 'environments: [a, b]\nversioning: {starts-at: a}'],
  ['a URL with a port, path and query', 'environments: [{name: a, url: "http://localhost:8080/x?y=1#z"}]'],
  ['an environment prefix without slash', 'environments: [a]\nenvironment-tag-prefix: deployed-'],
  ['names with dots, dashes and underscores', 'environments: [eu-west_1.prod, 2nd]'],
  [
    'checks with a status list and latencies',
    `
environments:
  - name: a
    verify:
      - {url: "https://a.example.com", status: [200, 204], max-latency: 500}
      - {url: "https://a.example.com/x", body-contains: ok, body-matches: "\\\\d+", max-latency: 2s}
`,
  ],
  [
    'freeze windows, weekly and dated',
    `
environments:
  - name: production
    freeze:
      - days: [fri, sat, sun]
        from: "16:00"
        to: "23:59"
        time-zone: Europe/Paris
        reason: weekend
      - {days: [mon], from: "22:00", to: "06:00", time-zone: UTC}
      - {days: [sat], from: "00:00", to: "24:00", time-zone: America/New_York}
      - from: 2026-12-20T00:00:00+01:00
        to: 2027-01-04T00:00:00+01:00
        reason: end of year
      - {from: "2026-06-01T08:30Z", to: "2026-06-01T09:00:00.500Z"}
`,
  ],
  ['an empty freeze list', 'environments: [{name: a, freeze: []}]'],
  [
    'a rollout of each strategy',
    `
environments:
  - name: a
    rollout: {strategy: all-at-once}
  - name: b
    rollout:
      strategy: canary
      steps:
        - {weight: 10, pause: 5m}
        - {weight: 50, pause: 1h30m}
        - {weight: 100}
      check-interval: 30s
      on-failure: halt
  - name: c
    rollout:
      strategy: phased
      steps:
        - {targets: eu-west-1, pause: 600}
        - {targets: [us-east-1, us-west-2], pause: '90'}
  - name: d
    rollout:
      strategy: blue-green
      slots: [blue, green]
      preview-url: https://{slot}.pre.example.com
      pause: 6h
      check-interval: 3600
      on-failure: rollback
`,
  ],
  ['a blue-green rollout with the defaults', 'environments: [{name: a, rollout: {strategy: blue-green}}]'],
  [
    'Prometheus checks with each comparison, no-data and headers',
    `
environments:
  - name: a
    verify:
      - prometheus: http://prometheus.internal:9090
        query: sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))
        below: 0.01
        no-data: pass
        name: error ratio
        headers:
          Authorization: Bearer \${PROM_TOKEN}
          X-Scope-OrgID: team-$1-\${TEAM_ID}
      - {prometheus: "https://example.com/prometheus/", query: up, at-least: 1}
      - {prometheus: "http://p:9090", query: x, above: -1.5}
      - {prometheus: "http://p:9090", query: x, at-most: 0}
      - {prometheus: "http://p:9090", query: x, equals: 3, no-data: fail}
`,
  ],
];

const BAD: [string, string, RegExp][] = [
  ['an empty document', '', /is empty/],
  ['a list at the top', '- integration', /the file is a list, not a mapping/],
  ['no environments', 'versioning: {initial: 1.0.0}', /'environments' is missing/],
  ['an empty chain', 'environments: []', /environments is an empty list/],
  [
    'environments as a string',
    'environments: integration, production',
    /environments is 'integration, production', not a list/,
  ],
  ['an unknown top-level key', 'environments: [a]\ncomponent: web', /unknown key 'component'/],
  [
    'a misspelt top-level key',
    'environment: [a]',
    /unknown key 'environment'\. Did you mean 'environments'\?/,
  ],
  [
    'a number as a name',
    'environments: [2024]',
    /environments\[0\] is the number 2024, not a string\. Put it in quotes/,
  ],
  [
    'a name with a space',
    "environments: ['my env']",
    /environments\[0\] is 'my env': an environment name may contain only/,
  ],
  ['a name ending in .lock', 'environments: [prod.lock]', /not valid inside a git ref/],
  ['a name with ..', 'environments: [{name: a..b}]', /environments\[0\]\.name is 'a\.\.b'/],
  ['a name too long', `environments: [${'a'.repeat(256)}]`, /256 characters long/],
  [
    'a mapping without a name',
    'environments: [{url: "https://a.example.com"}]',
    /environments\[0\] has no 'name'/,
  ],
  ['an empty name entry', 'environments: [a, null]', /environments\[1\] is empty, not a mapping/],
  [
    'a misspelt environment key',
    'environments: [{name: a, prevent-self-aproval: true}]',
    /Did you mean 'prevent-self-approval'/,
  ],
  [
    'an unknown approval',
    'environments: [{name: a, approval: requird}]',
    /environments\[0\]\.approval is 'requird'\. Allowed values: 'required', 'optional'/,
  ],
  ['approval as a boolean', 'environments: [{name: a, approval: true}]', /approval is true \(a boolean\)/],
  [
    'prevent-self-approval as text',
    'environments: [{name: a, prevent-self-approval: "yes"}]',
    /prevent-self-approval is 'yes', not a boolean/,
  ],
  ['an ftp URL', 'environments: [{name: a, url: "ftp://a.example.com"}]', /uses 'ftp'; only http and https/],
  [
    'a URL with credentials',
    'environments: [{name: a, url: "https://user:pw@a.example.com"}]',
    /contains credentials/,
  ],
  ['a relative URL', 'environments: [{name: a, url: a.example.com}]', /is not a URL/],
  ['a URL with a space', 'environments: [{name: a, url: "https://a.example.com/a b"}]', /contain no spaces/],
  ['a URL as a number', 'environments: [{name: a, url: 42}]', /url is the number 42, not a string/],
  [
    'verify as a mapping',
    'environments: [{name: a, verify: {url: "https://a.example.com"}}]',
    /verify is a mapping, not a list/,
  ],
  [
    'a check with neither url nor run',
    'environments: [{name: a, verify: [{status: 200}]}]',
    /environments\[0\]\.verify\[0\] has neither 'url' nor 'run'/,
  ],
  [
    'a check with an unknown key',
    'environments: [{name: a, verify: [{url: "https://a.example.com", stauts: 200}]}]',
    /unknown key 'stauts'/,
  ],
  [
    'a check with a bad status',
    'environments: [{name: a, verify: [{url: "https://a.example.com", status: 99}]}]',
    /status is the number 99/,
  ],
  [
    'a command check with an HTTP key',
    'environments: [{name: a, verify: [{run: x, status: 200}]}]',
    /applies to HTTP checks/,
  ],
  ['versioning as a list', 'environments: [a]\nversioning: [v]', /versioning is a list, not a mapping/],
  ['an empty versioning', 'environments: [a]\nversioning:', /versioning is empty, not a mapping/],
  [
    'a misspelt versioning key',
    'environments: [a]\nversioning: {tag-prefx: v}',
    /unknown key 'tag-prefx'\. Did you mean 'tag-prefix'\?/,
  ],
  ['a tag prefix starting with /', 'environments: [a]\nversioning: {tag-prefix: /v}', /must not start with/],
  [
    'a tag prefix with a space',
    "environments: [a]\nversioning: {tag-prefix: 'release v'}",
    /may contain only letters/,
  ],
  [
    'a tag prefix with ..',
    'environments: [a]\nversioning: {tag-prefix: a..b/}',
    /not valid inside a git ref/,
  ],
  [
    'a tag prefix with .lock/',
    'environments: [a]\nversioning: {tag-prefix: x.lock/v}',
    /not valid inside a git ref/,
  ],
  [
    'a tag prefix as a number',
    'environments: [a]\nversioning: {tag-prefix: 1}',
    /tag-prefix is the number 1, not a string/,
  ],
  ['a version with v', 'environments: [a]\nversioning: {initial: v1.0.0}', /without the 'v' \('1\.0\.0'\)/],
  [
    'a version as a number',
    'environments: [a]\nversioning: {initial: 1.0}',
    /initial is the number 1, not a version/,
  ],
  [
    'a two-part version',
    "environments: [a]\nversioning: {initial: '1.0'}",
    /'1\.0', which is not a Semantic Version/,
  ],
  [
    'a version with a leading zero',
    'environments: [a]\nversioning: {initial: 01.0.0}',
    /not a Semantic Version/,
  ],
  [
    'starts-at as a number',
    'environments: [a]\nversioning: {starts-at: 2}',
    /starts-at is the number 2, not a string/,
  ],
  [
    'starts-at with a slash',
    'environments: [a]\nversioning: {starts-at: a/b}',
    /not an environment of the chain/,
  ],
  [
    'an empty environment tag prefix',
    "environments: [a]\nenvironment-tag-prefix: ''",
    /environment-tag-prefix is empty/,
  ],
  [
    'an environment tag prefix starting with .',
    'environments: [a]\nenvironment-tag-prefix: .env/',
    /must not start with/,
  ],
  [
    'an environment tag prefix with //',
    'environments: [a]\nenvironment-tag-prefix: env//',
    /not valid inside a git ref/,
  ],
  [
    'freeze as a mapping',
    'environments: [{name: a, freeze: {days: [sat]}}]',
    /freeze is a mapping, not a list/,
  ],
  [
    'a freeze window with an unknown key',
    'environments: [{name: a, freeze: [{day: [sat], from: "00:00", to: "24:00", time-zone: UTC}]}]',
    /unknown key 'day'\. Did you mean 'days'\?/,
  ],
  [
    'a weekly window without a time zone',
    'environments: [{name: a, freeze: [{days: [sat], from: "00:00", to: "24:00"}]}]',
    /freeze\[0\] has no 'time-zone'/,
  ],
  [
    'a time zone without days',
    'environments: [{name: a, freeze: [{from: "00:00", to: "24:00", time-zone: UTC}]}]',
    /has 'time-zone' but no 'days'/,
  ],
  [
    'a full day name',
    'environments: [{name: a, freeze: [{days: [friday], from: "00:00", to: "24:00", time-zone: UTC}]}]',
    /days\[0\] is 'friday', not a day of the week\. Did you mean 'fri'\?/,
  ],
  [
    'a day listed twice',
    'environments: [{name: a, freeze: [{days: [sat, sat], from: "00:00", to: "24:00", time-zone: UTC}]}]',
    /days\[1\] repeats 'sat'/,
  ],
  [
    'no days',
    'environments: [{name: a, freeze: [{days: [], from: "00:00", to: "24:00", time-zone: UTC}]}]',
    /days is an empty list/,
  ],
  [
    'an hour of one digit',
    'environments: [{name: a, freeze: [{days: [sat], from: "9:00", to: "18:00", time-zone: UTC}]}]',
    /from is '9:00', not a time of day \(two digits for the hour: '09:00'\)/,
  ],
  [
    'a start at 24:00',
    'environments: [{name: a, freeze: [{days: [sat], from: "24:00", to: "06:00", time-zone: UTC}]}]',
    /from is '24:00', not a time of day/,
  ],
  [
    'minutes past 59',
    'environments: [{name: a, freeze: [{days: [sat], from: "10:00", to: "10:60", time-zone: UTC}]}]',
    /to is '10:60', not a time of day/,
  ],
  [
    'a time as a number',
    'environments: [{name: a, freeze: [{days: [sat], from: 1600, to: "18:00", time-zone: UTC}]}]',
    /from is the number 1600, not a time/,
  ],
  [
    'a dated window without an offset',
    'environments: [{name: a, freeze: [{from: "2026-12-20T00:00:00", to: "2027-01-04T00:00:00Z"}]}]',
    /from is '2026-12-20T00:00:00', which has no UTC offset/,
  ],
  [
    'a dated window given as dates',
    'environments: [{name: a, freeze: [{from: 2026-12-20, to: 2027-01-04}]}]',
    /is a date without a time and UTC offset/,
  ],
  [
    'a dated window without its end',
    'environments: [{name: a, freeze: [{from: "2026-12-20T00:00:00Z"}]}]',
    /freeze\[0\] has no 'to'/,
  ],
  [
    'an empty reason',
    'environments: [{name: a, freeze: [{from: "2026-12-20T00:00Z", to: "2026-12-21T00:00Z", reason: " "}]}]',
    /reason is empty/,
  ],
  [
    'a rollout without a strategy',
    'environments: [{name: a, rollout: {steps: [{weight: 100}]}}]',
    /rollout has no 'strategy'/,
  ],
  [
    'an unknown rollout strategy',
    'environments: [{name: a, rollout: {strategy: canery, steps: [{weight: 100}]}}]',
    /Did you mean 'canary'\?/,
  ],
  [
    'a misspelt rollout key',
    'environments: [{name: a, rollout: {strategy: canary, steps: [{weight: 100}], on-failur: halt}}]',
    /unknown key 'on-failur'\. Did you mean 'on-failure'\?/,
  ],
  [
    'all-at-once with steps',
    'environments: [{name: a, rollout: {strategy: all-at-once, steps: [{weight: 100}]}}]',
    /which applies to the other strategies/,
  ],
  [
    'canary without steps',
    'environments: [{name: a, rollout: {strategy: canary}}]',
    /canary needs 'steps', each with 'weight'/,
  ],
  [
    'phased without steps',
    'environments: [{name: a, rollout: {strategy: phased}}]',
    /phased needs 'steps', each with 'targets'/,
  ],
  [
    'an empty list of steps',
    'environments: [{name: a, rollout: {strategy: canary, steps: []}}]',
    /steps is an empty list/,
  ],
  [
    'eleven canary steps',
    'environments: [{name: a, rollout: {strategy: canary, steps: [{weight: 10}, {weight: 19}, {weight: 28}, {weight: 37}, {weight: 46}, {weight: 55}, {weight: 64}, {weight: 73}, {weight: 82}, {weight: 91}, {weight: 100}]}}]',
    /lists 11 steps/,
  ],
  [
    'a canary step with targets',
    'environments: [{name: a, rollout: {strategy: canary, steps: [{weight: 100, targets: [a]}]}}]',
    /which are for phased rollouts/,
  ],
  [
    'a canary step without a weight',
    'environments: [{name: a, rollout: {strategy: canary, steps: [{pause: 5m}]}}]',
    /steps\[0\] has no 'weight'/,
  ],
  [
    'a weight of 0',
    'environments: [{name: a, rollout: {strategy: canary, steps: [{weight: 0}, {weight: 100}]}}]',
    /weight is the number 0, not from 1 to 100/,
  ],
  [
    'a weight that is not whole',
    'environments: [{name: a, rollout: {strategy: canary, steps: [{weight: 12.5}, {weight: 100}]}}]',
    /not a whole number/,
  ],
  [
    'a weight with a percent sign',
    "environments: [{name: a, rollout: {strategy: canary, steps: [{weight: '100%'}]}}]",
    /written with '%'/,
  ],
  [
    'a phased step with a weight',
    'environments: [{name: a, rollout: {strategy: phased, steps: [{targets: [a], weight: 50}]}}]',
    /which is for canary rollouts/,
  ],
  [
    'a phased step without targets',
    'environments: [{name: a, rollout: {strategy: phased, steps: [{pause: 5m}]}}]',
    /steps\[0\] has no 'targets'/,
  ],
  [
    'an empty list of targets',
    'environments: [{name: a, rollout: {strategy: phased, steps: [{targets: []}]}}]',
    /targets is an empty list/,
  ],
  [
    'a target twice in one step',
    'environments: [{name: a, rollout: {strategy: phased, steps: [{targets: [a, a]}]}}]',
    /targets\[1\] repeats 'a'/,
  ],
  [
    'blue-green with steps',
    'environments: [{name: a, rollout: {strategy: blue-green, steps: [{weight: 100}]}}]',
    /blue-green has two fixed steps/,
  ],
  [
    'blue-green with one slot',
    'environments: [{name: a, rollout: {strategy: blue-green, slots: [blue]}}]',
    /slots lists one slot: blue-green needs two/,
  ],
  [
    'blue-green with the same slot twice',
    'environments: [{name: a, rollout: {strategy: blue-green, slots: [blue, blue]}}]',
    /slots\[1\] repeats 'blue'/,
  ],
  [
    'a slot name with a space',
    "environments: [{name: a, rollout: {strategy: blue-green, slots: ['blue one', green]}}]",
    /a slot name is at most 40 letters, digits/,
  ],
  [
    'an ftp preview URL',
    "environments: [{name: a, rollout: {strategy: blue-green, preview-url: 'ftp://{slot}.example.com'}}]",
    /uses 'ftp'; only http and https/,
  ],
  [
    'a preview URL with credentials',
    "environments: [{name: a, rollout: {strategy: blue-green, preview-url: 'https://{slot}:pw@example.com'}}]",
    /contains credentials/,
  ],
  [
    'a pause in words',
    'environments: [{name: a, rollout: {strategy: blue-green, pause: 5 minutes}}]',
    /pause is '5 minutes', not a duration/,
  ],
  [
    'a negative pause',
    'environments: [{name: a, rollout: {strategy: canary, steps: [{weight: 100, pause: -1}]}}]',
    /pause is the number -1, not a duration/,
  ],
  [
    'a pause in milliseconds',
    'environments: [{name: a, rollout: {strategy: blue-green, pause: 300000}}]',
    /longer than 6h/,
  ],
  [
    'a check interval of 0',
    'environments: [{name: a, rollout: {strategy: blue-green, check-interval: 0}}]',
    /check-interval is the number 0 \(a number counts seconds\), less than 1s/,
  ],
  [
    "on-failure 'stop'",
    'environments: [{name: a, rollout: {strategy: blue-green, on-failure: stop}}]',
    /on-failure is 'stop', not one of 'rollback' or 'halt'/,
  ],
  [
    'a Prometheus check with a url',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", url: "https://a.example.com", query: x, below: 1}]}]',
    /verify\[0\] has both 'url' and 'prometheus'/,
  ],
  [
    'a Prometheus check with run',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", run: x, query: x, below: 1}]}]',
    /verify\[0\] has both 'run' and 'prometheus'/,
  ],
  [
    'a Prometheus check without a query',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", below: 1}]}]',
    /verify\[0\]\.query is missing\. Give the PromQL expression/,
  ],
  [
    'a Prometheus check with an empty query',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", query: " ", below: 1}]}]',
    /verify\[0\]\.query is an empty string/,
  ],
  [
    'a Prometheus check without a comparison',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", query: up}]}]',
    /verify\[0\] has no comparison: give one of 'below', 'above', 'at-most', 'at-least' or 'equals'/,
  ],
  [
    'a threshold in quotes',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", query: up, below: "0.01"}]}]',
    /verify\[0\]\.below is '0\.01'\. Give the threshold as a finite number/,
  ],
  [
    'an infinite threshold',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", query: up, at-most: .inf}]}]',
    /verify\[0\]\.at-most is the number Infinity\. Give the threshold as a finite number/,
  ],
  [
    'an unknown no-data',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", query: up, below: 1, no-data: skip}]}]',
    /verify\[0\]\.no-data is 'skip'\. Write 'fail'/,
  ],
  [
    'a Prometheus server on ftp',
    'environments: [{name: a, verify: [{prometheus: "ftp://p:9090", query: up, below: 1}]}]',
    /verify\[0\]\.prometheus uses the scheme 'ftp'/,
  ],
  [
    'a Prometheus server with credentials',
    'environments: [{name: a, verify: [{prometheus: "http://u:pw@p:9090", query: up, below: 1}]}]',
    /verify\[0\]\.prometheus contains credentials.*'headers'/,
  ],
  [
    'a Prometheus server with a query',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090/api/v1/query?query=up", query: up, below: 1}]}]',
    /verify\[0\]\.prometheus is .*, which has a query or fragment/,
  ],
  [
    'headers as a list',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", query: up, below: 1, headers: [a]}]}]',
    /verify\[0\]\.headers is a list, not a mapping/,
  ],
  [
    'a header name with a space',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", query: up, below: 1, headers: {"X Org": a}}]}]',
    /verify\[0\]\.headers has the header name 'X Org', which is not a valid HTTP header name/,
  ],
  [
    'a header value naming no variable',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", query: up, below: 1, headers: {A: "Bearer \${PROM-TOKEN}"}}]}]',
    /verify\[0\]\.headers\.A has '\$\{PROM-TOKEN\}', which does not name a variable/,
  ],
  [
    'an empty header value',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", query: up, below: 1, headers: {A: ""}}]}]',
    /verify\[0\]\.headers\.A is an empty string/,
  ],
  [
    'a header value that is a number',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", query: up, below: 1, headers: {A: 5}}]}]',
    /verify\[0\]\.headers\.A is the number 5/,
  ],
  [
    'a misspelt prometheus',
    'environments: [{name: a, verify: [{promethus: "http://p:9090", query: up, below: 1}]}]',
    /did you mean 'prometheus' instead of 'promethus'\?/,
  ],
  [
    'a misspelt comparison',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", query: up, bellow: 1}]}]',
    /unknown key 'bellow'\. Did you mean 'below'\?/,
  ],
  [
    'an HTTP key on a Prometheus check',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", query: up, below: 1, status: 200}]}]',
    /verify\[0\]\.status applies to HTTP checks \(url\), not to Prometheus checks/,
  ],
  [
    'a query without prometheus',
    'environments: [{name: a, verify: [{query: up, below: 1}]}]',
    /verify\[0\] has 'query' but no 'prometheus'/,
  ],
];

/** Rules JSON Schema cannot state: only the parser enforces them. */
const PARSER_ONLY: [string, string, RegExp][] = [
  ['the same name twice', 'environments: [prod, prod]', /repeats the environment 'prod'/],
  ['names equal ignoring case', 'environments: [prod, Prod]', /GitHub environment names ignore case/],
  [
    'starts-at naming no environment of the chain',
    'environments: [a, b]\nversioning: {starts-at: c}',
    /not an environment of the chain \(a -> b\)/,
  ],
  [
    'an unknown time zone',
    'environments: [{name: a, freeze: [{days: [sat], from: "00:00", to: "24:00", time-zone: Europe/Pari}]}]',
    /time-zone is 'Europe\/Pari', which is not a known time zone\. Did you mean 'Europe\/Paris'\?/,
  ],
  [
    'a weekly window ending when it starts',
    'environments: [{name: a, freeze: [{days: [sat], from: "10:00", to: "10:00", time-zone: UTC}]}]',
    /the same time as 'from'/,
  ],
  [
    'a dated window ending before it starts',
    'environments: [{name: a, freeze: [{from: "2027-01-04T00:00:00+01:00", to: "2026-12-20T00:00:00+01:00"}]}]',
    /is not after 'from'/,
  ],
  [
    'a dated window of no length (offsets differ)',
    'environments: [{name: a, freeze: [{from: "2026-12-20T01:00:00+01:00", to: "2026-12-20T00:00:00Z"}]}]',
    /is not after 'from'/,
  ],
  [
    'a day the month does not have',
    'environments: [{name: a, freeze: [{from: "2026-02-29T00:00Z", to: "2026-03-02T00:00Z"}]}]',
    /names a day the month does not have/,
  ],
  [
    'canary weights that do not increase',
    'environments: [{name: a, rollout: {strategy: canary, steps: [{weight: 10}, {weight: 10}, {weight: 100}]}}]',
    /steps\[1\]\.weight is 10, not more than steps\[0\]\.weight \(10\)/,
  ],
  [
    'a last canary step below 100',
    'environments: [{name: a, rollout: {strategy: canary, steps: [{weight: 10}, {weight: 80}]}}]',
    /steps\[1\]\.weight is 80: the last canary step sends all traffic/,
  ],
  [
    'a target in two phased steps',
    'environments: [{name: a, rollout: {strategy: phased, steps: [{targets: [a, b]}, {targets: [c, a]}]}}]',
    /steps\[1\]\.targets\[1\] is 'a', which steps\[0\] deploys to already/,
  ],
  [
    'a pause written as text beyond 6h',
    'environments: [{name: a, rollout: {strategy: canary, steps: [{weight: 100, pause: 7h}]}}]',
    /pause is '7h', longer than 6h/,
  ],
  [
    'a check interval written as text below 1s',
    'environments: [{name: a, rollout: {strategy: blue-green, check-interval: 0s}}]',
    /check-interval is '0s', less than 1s/,
  ],
  [
    'a check interval written as text beyond 1h',
    'environments: [{name: a, rollout: {strategy: blue-green, check-interval: 2h}}]',
    /check-interval is '2h', longer than 1h/,
  ],
  [
    'a Prometheus check with two comparisons',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", query: up, below: 1, above: 0}]}]',
    /verify\[0\] has both 'below' and 'above': give exactly one comparison/,
  ],
  [
    'a header given twice in different case',
    'environments: [{name: a, verify: [{prometheus: "http://p:9090", query: up, below: 1, headers: {A: x, a: y}}]}]',
    /verify\[0\]\.headers has 'A' and 'a': header names ignore case/,
  ],
];

describe('schema/promotion.schema.json', () => {
  it('is a draft-07 schema that Ajv 8 compiles in strict mode', () => {
    expect(ajvVersion).toMatch(/^8\./);
    expect((schema as { $schema?: string }).$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(typeof validate).toBe('function');
  });

  it('tells editors how to use it with a yaml-language-server modeline', () => {
    expect(schema.description).toContain('# yaml-language-server: $schema=../schema/promotion.schema.json');
  });

  // The keys, values and patterns the validator reads are the ones the schema is generated from.
  it('is the schema generated from the definition the validator reads (npm run docs writes it)', () => {
    expect(schema).toEqual(promotionJsonSchema());
  });

  it('leaves the validator-only sentences out of the published schema', () => {
    expect(schemaText).not.toMatch(/"(fix|whenMissing)"/);
  });

  it.each(GOOD)('accepts %s, as the parser does', (_label, yaml) => {
    expect(parserProblem(yaml)).toBeUndefined();
    expect({ accepted: schemaAccepts(yaml), errors: validate.errors ?? null }).toEqual({
      accepted: true,
      errors: null,
    });
  });

  it.each(BAD)('refuses %s, as the parser does', (_label, yaml, message) => {
    expect(parserProblem(yaml)).toMatch(message);
    expect(schemaAccepts(yaml)).toBe(false);
  });

  it.each(PARSER_ONLY)('accepts %s, which only the parser refuses', (_label, yaml, message) => {
    expect(parserProblem(yaml)).toMatch(message);
    expect(schemaAccepts(yaml)).toBe(true);
  });
});

describe('the rules shared by the schema and the parser', () => {
  it.each([
    'production',
    'eu-west_1.prod',
    '2nd',
    'a.b',
    'Prod',
    '-prod',
    '.prod',
    'prod.',
    'prod.lock',
    'prod.LOCK',
    'a..b',
    'my env',
    'prod/x',
    'prod@x',
    'é',
    '',
    'a'.repeat(255),
  ])('the name pattern agrees with environmentNameProblem on %j', (name) => {
    const matches = new RegExp(ENVIRONMENT_NAME_SCHEMA_PATTERN, 'u').test(name);
    expect(matches).toBe(environmentNameProblem(name) === undefined);
  });

  it.each([
    ['v', true],
    ['', true],
    ['releases/v', true],
    ['env/', true],
    ['release-', true],
    ['a.b_c', true],
    ['/v', false],
    ['.v', false],
    ['-v', false],
    ['a..b', false],
    ['a//b', false],
    ['a/.b', false],
    ['a.lock/', false],
    ['v ', false],
    ['v~', false],
    ['v:', false],
    ['v@{', false],
    ['v*', false],
  ])('the tag prefix %j is %s by both the pattern and tagPrefixProblem', (prefix, valid) => {
    expect(new RegExp(TAG_PREFIX_PATTERN, 'u').test(prefix)).toBe(valid);
    expect(tagPrefixProblem(prefix) === undefined).toBe(valid);
  });

  it.each([
    ['1.0.0', true],
    ['0.1.0', true],
    ['10.20.30', true],
    ['1.0.0-rc.1', true],
    ['1.0.0-alpha-a.b-c', true],
    ['1.0.0+build.5', true],
    ['1.0.0-0.3.7', true],
    ['v1.0.0', false],
    ['1.0', false],
    ['01.0.0', false],
    ['1.0.0-01', false],
    ['1.0.0-', false],
    [' 1.0.0', false],
    ['=1.0.0', false],
  ])('the version %j is %s by both isStrictSemver and semver', (version, valid) => {
    expect(isStrictSemver(version)).toBe(valid);
    // semver accepts a leading 'v', '=' and spaces (and drops them); a strict version is one it keeps unchanged.
    const parsed = semver.parse(version);
    expect(parsed !== null && parsed.raw === version && /^\d/.test(version)).toBe(valid);
  });

  it.each([
    ['https://example.com', true],
    ['http://localhost:8080/path?q=1#x', true],
    ['https://example.com/@user', true],
    ['HTTPS://example.com', false],
    ['ftp://example.com', false],
    ['https://user@example.com', false],
    ['https://user:secret@example.com', false],
    ['https://@example.com', false],
    ['https://exa mple.com', false],
    ['https://', false],
    ['example.com', false],
  ])('the URL %j is %s by both the pattern and environmentUrlProblem', (url, valid) => {
    expect(new RegExp(URL_PATTERN, 'u').test(url)).toBe(valid);
    expect(environmentUrlProblem(url) === undefined).toBe(valid);
  });
});

describe('the freeze window rules shared by the schema and the parser', () => {
  it.each([
    ['2026-12-20T00:00:00+01:00', true],
    ['2026-12-20T00:00Z', true],
    ['2026-12-20T23:59:59.999-05:30', true],
    ['2028-02-29T00:00Z', true],
    ['2026-12-20', false],
    ['2026-12-20T00:00:00', false],
    ['2026-12-20 00:00:00Z', false],
    ['2026-13-01T00:00Z', false],
    ['2026-12-20T24:00Z', false],
    ['2026-12-20T00:00+1:00', false],
    ['2026-12-20T00:00:00.1234Z', false],
  ])('the date and time %j is %s by both the pattern and parseDateTime', (text, valid) => {
    expect(new RegExp(DATE_TIME_PATTERN, 'u').test(text)).toBe(valid);
    expect(parseDateTime(text) !== undefined).toBe(valid);
  });

  it.each(['2026-02-29T00:00Z', '2026-04-31T00:00Z', '2100-02-29T00:00Z'])(
    'the day in %j matches the pattern, but parseDateTime refuses it (the month has no such day)',
    (text) => {
      expect(new RegExp(DATE_TIME_PATTERN, 'u').test(text)).toBe(true);
      expect(parseDateTime(text)).toBeUndefined();
    },
  );

  it.each([
    ['00:00', true, true],
    ['23:59', true, true],
    ['24:00', false, true],
    ['9:00', false, false],
    ['24:01', false, false],
    ['12:60', false, false],
    ['12:00:00', false, false],
  ])('the time %j is a start: %s, an end: %s', (time, start, end) => {
    expect(new RegExp(TIME_OF_DAY_PATTERN, 'u').test(time)).toBe(start);
    expect(new RegExp(END_TIME_OF_DAY_PATTERN, 'u').test(time)).toBe(end);
  });
});

describe('scripts/config-schema.mjs', () => {
  const script = path.join(repositoryRoot, 'scripts', 'config-schema.mjs');
  const directory = mkdtempSync(path.join(tmpdir(), 'config-schema-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  function runGenerator(...args: string[]): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script, ...args], { cwd: repositoryRoot });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  it('--check passes on the committed schema and fails on a drifted copy, naming the command to run', async () => {
    const copy = path.join(directory, 'promotion.schema.json');
    writeFileSync(copy, schemaText);
    expect((await runGenerator('--check', '--out', copy)).code).toBe(0);
    writeFileSync(copy, schemaText.replace('"minItems": 1', '"minItems": 2'));
    const drifted = await runGenerator('--check', '--out', copy);
    expect(drifted.code).toBe(1);
    expect(drifted.stderr).toContain('out of date with packages/core/src/chain/config-schema.ts');
    expect(drifted.stderr).toContain('npm run docs');
    expect((await runGenerator('--out', copy)).code).toBe(0);
    expect(readFileSync(copy, 'utf8')).toBe(schemaText);
  });
});

describe('closestMatch', () => {
  const keys = ['name', 'url', 'verify', 'approval', 'prevent-self-approval'];

  it.each([
    ['prevent-self-aproval', 'prevent-self-approval'],
    ['aproval', 'approval'],
    ['approvl', 'approval'],
    ['Name', 'name'],
    ['nmae', 'name'],
    ['verfiy', 'verify'],
    ['ulr', 'url'],
  ])('suggests %j for %j', (typo, expected) => {
    expect(closestMatch(typo, keys)).toBe(expected);
  });

  it.each(['component', 'x', 'deploy', 'timeout'])(
    'suggests nothing for %j, which is close to no key',
    (word) => {
      expect(closestMatch(word, keys)).toBeUndefined();
    },
  );
});
