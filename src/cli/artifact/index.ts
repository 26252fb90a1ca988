// acrx artifact: OCI artifacts (SBOMs, signatures, charts, models, bundles) pushed, pulled, attached
// and discovered, as oras does it, with acrx's output formats, --query and exit codes.
import type { Command } from 'commander';
import { addGroup } from '../command.js';
import type { Io } from '../context.js';
import { attachCommand } from './attach.js';
import { discoverCommand } from './discover.js';
import { pullCommand } from './pull.js';
import { pushCommand } from './push.js';

export function addArtifactGroup(program: Command, io: Io, only?: string): Command {
  const examples = [
    { summary: 'Push a file as an artifact.', command: 'acrx artifact push -n myregistry docs:v1 readme.md:text/markdown' },
    { summary: "Pull an artifact's files into the directory out.", command: 'acrx artifact pull -n myregistry docs:v1 --output-dir out' },
  ];
  return addGroup(program, 'artifact', 'Push, pull, attach and discover OCI artifacts (as oras does).', examples, [pushCommand, pullCommand, attachCommand, discoverCommand], io, only);
}
