// -o yaml / -o yamlc. knack prints yaml.safe_dump(result, default_flow_style=False, allow_unicode=True):
// block style, keys sorted, sequences inside mappings not indented, strings single-quoted only where a
// YAML 1.1 reader would take them for something else. The `yaml` library is set up the same way.
// Known differences from PyYAML: long plain strings fold at slightly different columns, a plain
// top-level scalar has no '...' line, and 'y'/'n' are quoted (YAML 1.1 booleans PyYAML leaves plain).
// None of these change what a YAML reader gets back.
import { stringify } from 'yaml';

const KEY = '\x1b[94m';
const STRING = '\x1b[33m';
const RESET = '\x1b[39;49;00m';

export function formatYaml(data: unknown, color = false): string {
  const text = stringify(data, { version: '1.1', sortMapEntries: true, indentSeq: false, singleQuote: true, lineWidth: 80, minContentWidth: 0 });
  return color ? colorize(text) : text;
}

// pygments' YAML colours as knack's yamlc shows them: mapping keys blue, quoted strings yellow.
function colorize(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/^(\s*(?:- )*)([^\s'"#-][^:]*?|'(?:[^']|'')*'|"(?:[^"\\]|\\.)*")(:)(?=\s|$)/, (_m, lead: string, key: string, colon: string) => `${lead}${KEY}${key}${RESET}${colon}`)
        .replace(/(:\s|^\s*(?:- )+|^)('(?:[^']|'')*'|"(?:[^"\\]|\\.)*")\s*$/, (_m, lead: string, value: string) => `${lead}${STRING}${value}${RESET}`),
    )
    .join('\n');
}
