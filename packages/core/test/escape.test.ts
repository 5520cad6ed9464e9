import { describe, expect, it } from '@jest/globals';
import {
  htmlText,
  inertWorkflowCommands,
  markdownCodeBlock,
  markdownLiteralLine,
  mermaidLabel,
} from '../src/text/escape.js';
import { joinMarkup, markup } from '../src/text/markup.js';

const ZWSP = '\u200b';

/** Whether the runner would read `line` as a workflow command, by the rule stated in text/escape.ts. */
function readAsCommand(line: string): boolean {
  return /^[\s\u0085]*::/.test(line) || line.includes('##[');
}

describe('inertWorkflowCommands', () => {
  it('puts a zero-width space first on a line that starts with ::, blanks included', () => {
    expect(inertWorkflowCommands('::add-mask::secret')).toBe(`${ZWSP}::add-mask::secret`);
    expect(inertWorkflowCommands('   ::error file=x::boom')).toBe(`${ZWSP}   ::error file=x::boom`);
    expect(inertWorkflowCommands('\u0085::stop-commands::x')).toBe(`${ZWSP}\u0085::stop-commands::x`);
  });

  it('breaks the older ##[ form wherever it is in the line', () => {
    expect(inertWorkflowCommands('##[set-output name=x;]y')).toBe(`#${ZWSP}#[set-output name=x;]y`);
    expect(inertWorkflowCommands('text ##[error]legacy ##[warning]two')).toBe(
      `text #${ZWSP}#[error]legacy #${ZWSP}#[warning]two`,
    );
  });

  it('leaves ordinary text and :: in the middle of a line alone', () => {
    expect(inertWorkflowCommands('fix: mentions ::warning:: in the middle')).toBe(
      'fix: mentions ::warning:: in the middle',
    );
    expect(inertWorkflowCommands('# heading [x]')).toBe('# heading [x]');
  });

  it('treats every line on its own, whatever the line break', () => {
    const inert = inertWorkflowCommands('one\r\n::stop-commands::pwned\rtwo\n  ##[error]x');
    expect(inert.split('\n')).toEqual(['one', `${ZWSP}::stop-commands::pwned`, 'two', `  #${ZWSP}#[error]x`]);
    expect(inert.split('\n').some(readAsCommand)).toBe(false);
  });

  it('changes nothing more when applied twice', () => {
    const once = inertWorkflowCommands('::error::a\n###[x]\n##[##[y]');
    expect(inertWorkflowCommands(once)).toBe(once);
    expect(once.split('\n').some(readAsCommand)).toBe(false);
  });
});

describe('htmlText', () => {
  it('escapes what could start a tag, an entity or end a quoted attribute', () => {
    expect(htmlText(`<img src=x onerror="a('1')"> & more`)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;1&#39;)&quot;&gt; &amp; more',
    );
  });
});

describe('Markdown blocks and Mermaid labels', () => {
  it('fences a code block longer than any backtick run inside', () => {
    expect(markdownCodeBlock('plain')).toBe('```text\nplain\n```');
    expect(markdownCodeBlock('a\r\n```\nb')).toBe('````text\na\n```\nb\n````');
    expect(markdownCodeBlock('`````', 'yaml')).toBe('``````yaml\n`````\n``````');
  });

  it('keeps a literal line inert and its indentation visible', () => {
    expect(markdownLiteralLine('\t  # not a heading')).toBe(
      '&#8203;&nbsp;&nbsp;&nbsp;&nbsp;\\# not a heading',
    );
  });

  it('keeps a Mermaid label inside its quotes and its line', () => {
    expect(mermaidLabel('a"b<c>`d|e\nf')).toBe('abcde f');
  });
});

describe('the markup template', () => {
  it('escapes every interpolated value and keeps what it built itself', () => {
    const hostile = '<script>alert("x")</script>';
    const inner = markup`<b>${hostile}</b>`;
    expect(String(markup`<p title="${hostile}">${inner} ${3}</p>`)).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">' +
        '<b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</b> 3</p>',
    );
  });

  it('renders nothing for null, undefined and false, and arrays item after item', () => {
    const items = ['a&b', markup`<i>c</i>`];
    expect(String(markup`<ul>${null}${undefined}${false}${items}</ul>`)).toBe('<ul>a&amp;b<i>c</i></ul>');
  });

  it('joins parts with an escaped separator, leaving out absent ones', () => {
    expect(String(joinMarkup([markup`<br>`, null, 'x<y', false, markup``], ' & '))).toBe(
      '<br> &amp; x&lt;y &amp; ',
    );
  });
});
