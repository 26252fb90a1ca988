// Pieces bash and zsh scripts share: both read `case` statements, `( ... )` arrays, `[[ ]]` tests and
// functions the same way. What differs between them is how each reads the line and offers candidates.
import { flagArms, positionalArms, registryArms, subcommandArms, valueLookups, type Arm, type ValueLookup } from './tables.js';
import { FORWARDED_SWITCHES, FORWARDED_VALUE_FLAGS, type CommandNode } from './tree.js';

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

/**
 * The tree as lookup functions: subcommands and flags of each command path (`entry` writes each one:
 * a name for bash, `name:description` for zsh), the registry flag, positionals, and flag values.
 */
export function lookupTables(root: CommandNode, entry: (pair: [string, string]) => string, entryIs: string): string {
  return [
    lookupFunction('_acrx_subcommands', `Subcommands of a command path${entryIs}.`, subcommandArms(root), (pairs) => pairs.map(entry)),
    lookupFunction('_acrx_flags', `Flags of a command path${entryIs}.`, flagArms(root), (pairs) => pairs.map(entry)),
    lookupFunction('_acrx_registry_flag', 'The flag that names the registry on a command path.', registryArms(root), (names) => names),
    lookupFunction('_acrx_positionals', "Value sources of a command's positional arguments; a last one ending in ... repeats.", positionalArms(root), (sources) => sources),
    valueFunction('_acrx_values', valueLookups(root)),
  ].join('\n\n');
}

/** The registry lookups of both scripts: which flags of the line they keep, and how they ask acrx. */
export function registryLookupFunctions(): string {
  return `_acrx_has() {
  local word=$1 item
  shift
  for item in "$@"; do [[ $item == "$word" ]] && return 0; done
  return 1
}

# Keeps what the registry lookups need from a flag on the command line: the registry and how to reach it.
_acrx_note() {
  _acrx_registry_flag "$at"
  if (( $# > 1 )) && _acrx_has "$1" "\${reply[@]}"; then
    target+=(-n "$2")
  else
    case $1 in
      ${FORWARDED_VALUE_FLAGS.join('|')}) (( $# > 1 )) && target+=("$1" "$2") ;;
      ${FORWARDED_SWITCHES.join('|')}) target+=("$1") ;;
    esac
  fi
}

# Names from the registry (acrx __complete): nothing at all when it cannot answer quickly.
_acrx_ask() {
  "$program" __complete "$@" "\${target[@]}" 2>/dev/null
}`;
}
