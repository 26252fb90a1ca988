// acrx tag: lock and unlock tags (ACR).
import type { Command } from 'commander';
import { addGroup } from '../command.js';
import type { Io } from '../context.js';
import { lockCommand, unlockCommand } from './lock.js';

export function addTagGroup(program: Command, io: Io, only?: string): Command {
  const examples = [{ summary: 'Lock a tag against deletion and overwrites.', command: 'acrx tag lock -n myregistry --image hello-world:v1' }];
  return addGroup(program, 'tag', 'Lock and unlock tags (ACR).', examples, [lockCommand, unlockCommand], io, only);
}
