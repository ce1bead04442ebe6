import { describe, expect, it } from 'vitest';
import { readYaml, type Yaml11Reader } from '../src/validate/yaml-checks';

function read(
  text: string,
  reader: Yaml11Reader = 'psych',
  gitlabTags = false,
) {
  return readYaml('ci.yml', text, {
    yaml11: true,
    yaml11Reader: reader,
    gitlabTags,
  });
}

function rules(text: string, reader?: Yaml11Reader) {
  return read(text, reader).findings.map((finding) => [
    finding.rule,
    finding.severity,
    finding.line,
  ]);
}

describe('YAML syntax', () => {
  it('reports an error with line and column and stops', () => {
    const parsed = read('a: 1\nb: [1, 2\nc: 3\n');
    expect(parsed.value).toBeUndefined();
    const [finding] = parsed.findings;
    expect(finding.rule).toBe('yaml-syntax');
    expect(finding.severity).toBe('error');
    expect(finding.line).toBeGreaterThan(1);
    expect(finding.column).toBeGreaterThan(0);
  });

  it('keeps each finding on one line', () => {
    for (const finding of read('a: "unterminated\n').findings) {
      expect(finding.message).not.toContain('\n');
    }
  });
});

describe('duplicate keys', () => {
  const text = 'jobs:\n  include:\n    - a: 1\n  include:\n    - b: 2\n';

  it('reports the later key with the first line', () => {
    const [finding] = read(text).findings;
    expect(finding.rule).toBe('yaml-duplicate-key');
    expect(finding.line).toBe(4);
    expect(finding.message).toContain('first on line 2');
  });

  it('reads the file last-wins, as the CIs do', () => {
    expect(read(text).value).toEqual({ jobs: { include: [{ b: 2 }] } });
  });

  it('allows repeated merge keys', () => {
    const merged = 'a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: *a\n  <<: *b\n';
    expect(read(merged).findings).toEqual([]);
  });
});

describe('YAML 1.1 readings', () => {
  it('reports booleans and octals where GitLab reads YAML 1.1', () => {
    expect(rules('a: on\nb: 0755\nc: 1:20\n')).toEqual([
      ['yaml-1.1-ambiguous', 'error', 1],
      ['yaml-1.1-ambiguous', 'error', 2],
      ['yaml-1.1-ambiguous', 'error', 3],
    ]);
  });

  it('leaves y and n alone for GitLab, which reads them as strings', () => {
    expect(rules('a: y\nb: n\n')).toEqual([]);
  });

  it('keeps boolean words and floats as strings for Travis CI', () => {
    expect(
      rules('deploy:\n  on:\n    tags: yes\npython: 3.10\n', 'travis-yml'),
    ).toEqual([]);
  });

  it('warns about integer forms for Travis CI', () => {
    expect(rules('a: 0755\nb: 1:20\n', 'travis-yml')).toEqual([
      ['yaml-1.1-ambiguous', 'warning', 1],
      ['yaml-1.1-ambiguous', 'warning', 2],
    ]);
  });

  it('reports every difference in strict mode', () => {
    expect(rules('a: y\nb: on\n', 'strict')).toEqual([
      ['yaml-1.1-ambiguous', 'error', 1],
      ['yaml-1.1-ambiguous', 'error', 2],
    ]);
  });

  it('accepts quoted values', () => {
    expect(rules('a: "on"\nb: \'0755\'\n')).toEqual([]);
  });

  it('names both readings in the message', () => {
    const [finding] = read('a: 0755\n').findings;
    expect(finding.message).toContain('755');
    expect(finding.message).toContain('493');
  });
});

describe('GitLab YAML', () => {
  it('reads !reference tags as sequences', () => {
    const parsed = read(
      'a:\n  script: [echo]\nb:\n  script:\n    - !reference [a, script]\n',
      'psych',
      true,
    );
    expect(parsed.findings).toEqual([]);
    expect(parsed.value).toEqual({
      a: { script: ['echo'] },
      b: { script: [['a', 'script']] },
    });
  });

  it('applies merge keys', () => {
    const parsed = read(
      '.t: &t\n  stage: build\njob:\n  <<: *t\n  script: [echo]\n',
    );
    expect(parsed.value).toEqual({
      '.t': { stage: 'build' },
      job: { stage: 'build', script: ['echo'] },
    });
  });
});

describe('alias expansion', () => {
  function aliasBomb(levels: number): string {
    const lines = ['.a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level <= levels; level += 1) {
      const refs = Array(9).fill(`*a${level - 1}`).join(', ');
      lines.push(`.a${level}: &a${level} [${refs}]`);
    }
    lines.push(`build:\n  script: *a${levels}`);
    return `${lines.join('\n')}\n`;
  }

  it('rejects nested aliases that expand to millions of nodes', () => {
    const parsed = read(aliasBomb(7), 'psych', true);
    expect(parsed.value).toBeUndefined();
    expect(parsed.findings.map((finding) => finding.rule)).toContain(
      'yaml-alias-limit',
    );
  });

  it('keeps ordinary anchors and aliases', () => {
    const parsed = read('.t: &t [a, b]\njob:\n  script: *t\n', 'psych', true);
    expect(parsed.findings).toEqual([]);
    expect(parsed.value).toEqual({ '.t': ['a', 'b'], job: { script: ['a', 'b'] } });
  });

  it('reports an alias without its anchor as a syntax error', () => {
    const parsed = read('job:\n  script: *missing\n', 'psych', true);
    expect(parsed.findings.map((finding) => finding.rule)).toContain('yaml-syntax');
  });
});
