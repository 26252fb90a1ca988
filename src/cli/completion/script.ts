// The completion script for one shell, made from the commander tree.
import type { Command } from 'commander';
import { bashScript } from './bash.js';
import { fishScript } from './fish.js';
import type { CompletionShell } from './shells.js';
import { powershellScript } from './powershell.js';
import { describeTree } from './tree.js';
import { zshScript } from './zsh.js';

export function completionScript(shell: CompletionShell, program: Command): string {
  const root = describeTree(program);
  switch (shell) {
    case 'bash':
      return bashScript(root);
    case 'zsh':
      return zshScript(root);
    case 'fish':
      return fishScript(root);
    case 'powershell':
      return powershellScript(root);
  }
}

/** Where the repository keeps each script (completions/), under the names the shells look for. */
export const COMPLETION_FILES: Readonly<Record<CompletionShell, string>> = {
  bash: 'acrx.bash',
  zsh: '_acrx',
  fish: 'acrx.fish',
  powershell: 'acrx.ps1',
};
