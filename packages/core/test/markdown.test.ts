import { describe, expect, it } from '@jest/globals';
import { link, table } from '../src/report/markdown.js';
import { markdownCell, markdownCode, markdownText } from '../src/text/escape.js';

describe('markdown escaping of untrusted text', () => {
  it('keeps HTML inert', () => {
    expect(markdownText('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert\\(1\\)&gt;');
  });

  it('does not ping people or link issues', () => {
    const escaped = markdownText('thanks @octocat for #12');
    expect(escaped).not.toMatch(/@octocat/);
    expect(escaped).toContain('@\u200boctocat');
    expect(escaped).not.toMatch(/#12/);
  });

  it('cannot break a table row or a line', () => {
    const escaped = markdownCell('a | b\n| c |');
    expect(escaped).not.toMatch(/(^|[^\\])\|/);
    expect(escaped).not.toContain('\n');
    const rendered = table(['x'], [[escaped]]);
    expect(rendered.split('\n')).toHaveLength(3);
  });

  it('neutralises link and emphasis syntax', () => {
    expect(markdownText('[click](https://evil.example) **bold**')).toBe(
      '\\[click\\]\\(https://evil.example\\) \\*\\*bold\\*\\*',
    );
  });

  it('keeps code spans inside their table cell', () => {
    expect(markdownCode('1.0.0 | `x`\nnext')).toBe("`1.0.0 \\| 'x' next`");
  });

  it('links only http(s) URLs', () => {
    expect(link('run', 'https://github.com/o/r/actions/runs/1')).toBe(
      '[run](https://github.com/o/r/actions/runs/1)',
    );
    expect(link('run', 'javascript:alert(1)')).toBe('run');
    expect(link('x', 'https://e.example/a)b')).toBe('[x](https://e.example/a%29b)');
  });
});
