// Pieces bash and zsh scripts share: both read `case` statements and `( ... )` arrays the same way.
import type { Arm, ValueLookup } from './tables.js';

/** Single-quoted for bash and zsh: nothing inside is expanded. */
export function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A function that sets the array `reply` from the arm its first argument matches, else empties it. */
export function lookupFunction<T>(name: string, why: string, arms: Arm<T>[], words: (value: T) => string[]): string {
  const lines = [`# ${why}`, `${name}() {`, '  case "$1" in'];
  for (const arm of arms) lines.push(`    ${arm.keys.map(quote).join('|')}) reply=(${words(arm.value).map(quote).join(' ')}) ;;`);
  lines.push('    *) reply=() ;;', '  esac', '}');
  return lines.join('\n');
}

/** `NAME PATH FLAG` sets `reply` to the value source of FLAG on the command at PATH (empty: a switch). */
export function valueFunction(name: string, lookups: ValueLookup[]): string {
  const lines = ['# The value source of a flag ($2) on a command ($1); empty for a switch.', `${name}() {`, '  case "$2" in'];
  for (const lookup of lookups) {
    const arms = lookup.byPath.map((arm) => `${arm.keys.map(quote).join('|')}) reply=(${quote(arm.value)}) ;;`);
    const fallback = `reply=(${quote(lookup.fallback)})`;
    const pattern = lookup.flags.map(quote).join('|');
    lines.push(arms.length === 0 ? `    ${pattern}) ${fallback} ;;` : `    ${pattern}) case "$1" in ${arms.join(' ')} *) ${fallback} ;; esac ;;`);
  }
  lines.push('    *) reply=() ;;', '  esac', '}');
  return lines.join('\n');
}
