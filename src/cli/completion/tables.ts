// The tree as lookup tables keyed the way a shell script looks things up: by command path, and by
// flag name. Paths with the same entries share one arm, and a flag's value source is written once
// with the commands that differ listed apart, which keeps the scripts short enough to read.
import { allNodes, type CommandNode, type ValueSource } from './tree.js';

/** One arm of a lookup: the keys that share it and what they map to. */
export interface Arm<T> {
  keys: string[];
  value: T;
}

/** A flag's value source: `fallback` unless the command's path is in one of `byPath`. */
export interface ValueLookup {
  flags: string[];
  fallback: string;
  byPath: Arm<string>[];
}

/** The command path as the scripts spell it: words joined by one space, '' for the program. */
function pathKey(node: CommandNode): string {
  return node.path.join(' ');
}

/**
 * A value source as one word list the scripts split: `choices json yaml`, `files`, `images`...
 * Positional sources that repeat end in `...`.
 */
function sourceText(source: ValueSource): string {
  return source.kind === 'choices' ? ['choices', ...source.choices].join(' ') : source.kind;
}

/** Keys mapping to equal values (by `same`) are gathered into one arm, in first-seen order. */
function groupArms<T>(entries: ReadonlyArray<readonly [string, T]>, same: (value: T) => string = (value) => JSON.stringify(value)): Arm<T>[] {
  const arms = new Map<string, Arm<T>>();
  for (const [key, value] of entries) {
    const id = same(value);
    const arm = arms.get(id);
    if (arm) arm.keys.push(key);
    else arms.set(id, { keys: [key], value });
  }
  return [...arms.values()];
}

export function subcommandArms(root: CommandNode): Arm<Array<[string, string]>>[] {
  return groupArms(
    allNodes(root)
      .filter((node) => node.subcommands.length > 0)
      .map((node) => [pathKey(node), node.subcommands.map((child): [string, string] => [child.path.at(-1) ?? '', child.description])] as const),
  );
}

/** Every flag name of each command with its description (a short and a long form are two entries). */
export function flagArms(root: CommandNode): Arm<Array<[string, string]>>[] {
  return groupArms(
    allNodes(root).map((node) => [pathKey(node), node.flags.flatMap((flag) => flag.names.map((name): [string, string] => [name, flag.description]))] as const),
  );
}

export function registryArms(root: CommandNode): Arm<string[]>[] {
  return groupArms(allNodes(root).flatMap((node) => (node.registryFlag ? [[pathKey(node), node.registryFlag] as const] : [])));
}

/** Positional sources per command; the last ends in `...` when it repeats. */
export function positionalArms(root: CommandNode): Arm<string[]>[] {
  return groupArms(
    allNodes(root)
      .filter((node) => node.positionals.length > 0)
      .map((node) => {
        const sources = node.positionals.map(sourceText);
        if (node.variadic) sources[sources.length - 1] += '...';
        return [pathKey(node), sources] as const;
      }),
  );
}

/** For each flag that takes a value, where its value comes from, by command. */
export function valueLookups(root: CommandNode): ValueLookup[] {
  const byFlag = new Map<string, Array<[string, string]>>();
  for (const node of allNodes(root)) {
    for (const flag of node.flags) {
      if (!flag.value) continue;
      for (const name of flag.names) {
        const entries = byFlag.get(name) ?? [];
        entries.push([pathKey(node), sourceText(flag.value)]);
        byFlag.set(name, entries);
      }
    }
  }
  const lookups = [...byFlag].map(([name, entries]): ValueLookup => {
    const arms = groupArms(entries, (source) => source).sort((a, b) => b.keys.length - a.keys.length);
    const [common, ...rest] = arms;
    return { flags: [name], fallback: common?.value ?? 'text', byPath: rest };
  });
  // -n and --name with the same table share one arm.
  return groupArms(lookups.map((lookup) => [lookup.flags[0] ?? '', lookup] as const), (lookup) => JSON.stringify([lookup.fallback, lookup.byPath])).map(
    (arm) => ({ ...arm.value, flags: arm.keys }),
  );
}
