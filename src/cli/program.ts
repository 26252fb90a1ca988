// The commander tree. Actions load their implementation lazily, so `acrx --help` stays light.
import { Command } from 'commander';
import { packageVersion } from '../version.js';
import type { CommandContext, GlobalOptions, Io, RegistryOptions, RegistrySession } from './context.js';
import { addGlobalOptions, addRegistryOptions, ATTRIBUTE_FLAGS, orderOption, parseAttributes, parseTop, type AttributeName } from './options.js';

type RepositoryOptions = RegistryOptions &
  GlobalOptions & { repository?: string; image?: string; top?: string; orderby?: 'time_asc' | 'time_desc'; detail?: boolean; yes?: boolean; deleteOnly?: boolean } & Partial<Record<AttributeName, string>>;

/** Runs one command: validate, call, render, write stdout. */
async function execute(io: Io, options: GlobalOptions, run: (context: CommandContext) => Promise<unknown>): Promise<void> {
  const { createContext } = await import('./context.js');
  const { render } = await import('../output/render.js');
  const context = createContext(options, io);
  const result = await run(context);
  const text = await render(result, { format: context.format, ...(context.query ? { query: context.query } : {}), color: context.color });
  if (text) io.stdout.write(text);
}

/** Opens the registry session for one command and closes it however the command ends. */
async function withRegistry<T>(context: CommandContext, options: RegistryOptions, use: (session: RegistrySession) => Promise<T>): Promise<T> {
  const { openRegistry } = await import('./context.js');
  const session = await openRegistry(context, options);
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

export function buildProgram(io: Io): Command {
  const program = new Command('acrx')
    .description('Manage container registries the way `az acr` does, against any OCI registry.')
    .version(packageVersion(), '--version', 'print the version')
    .showSuggestionAfterError(true);

  const repository = program.command('repository').description('Manage repositories (image names) of a registry.');

  addRegistryOptions(repository.command('list').description('List repositories of a registry.'))
    .option('--top <n>', 'limit the number of items in the results')
    .action((options: RepositoryOptions) =>
      execute(io, options, async (context) => {
        const top = parseTop(options.top);
        const { listRepositories } = await import('./repository-read.js');
        return withRegistry(context, options, (session) => listRepositories(session, top !== undefined ? { top } : {}));
      }),
    );

  for (const [name, description] of [
    ['show-tags', 'Show tags of a repository.'],
    ['show-manifests', 'Show manifests of a repository with their tags and timestamps.'],
  ] as const) {
    addRegistryOptions(repository.command(name).description(description))
      .requiredOption('--repository <repository>', 'the name of the repository')
      .option('--top <n>', 'limit the number of items in the results')
      .addOption(orderOption())
      .option('--detail', 'show detailed information')
      .action((options: RepositoryOptions) =>
        execute(io, options, async (context) => {
          const { validateRepositoryName } = await import('../registry/reference.js');
          const repositoryName = validateRepositoryName(options.repository ?? '');
          const top = parseTop(options.top);
          const listing = { ...(top !== undefined ? { top } : {}), ...(options.orderby ? { orderby: options.orderby } : {}), detail: options.detail === true };
          const read = await import('./repository-read.js');
          return withRegistry<unknown>(context, options, (session) =>
            name === 'show-tags' ? read.showTags(session, repositoryName, listing) : read.showManifests(session, repositoryName, listing),
          );
        }),
      );
  }

  addRegistryOptions(repository.command('show').description('Get the attributes of a repository or an image.'))
    .option('--repository <repository>', 'the name of the repository')
    .option('-t, --image <image>', "the name of the image: 'name:tag' or 'name@digest' ('name' means 'name:latest')")
    .action((options: RepositoryOptions) =>
      execute(io, options, async (context) => {
        const { exactlyOneTarget } = await import('./targets.js');
        const target = exactlyOneTarget(options, { allowDigest: true });
        const read = await import('./repository-read.js');
        return withRegistry<unknown>(context, options, (session) =>
          target.image ? read.showImage(session, target.image) : read.showRepository(session, target.repository),
        );
      }),
    );

  addRegistryOptions(program.command('login').description('Log in to a registry: verify the credentials, then store them where docker looks.'))
    .option('--expose-token', 'print an access token instead of storing credentials (no docker needed)')
    .action((options: RegistryOptions & GlobalOptions & { exposeToken?: boolean }) =>
      execute(io, options, async (context) => {
        const { login } = await import('./login.js');
        return login(context, options);
      }),
    );

  addGlobalOptions(program.command('logout').description('Remove the stored credentials of a registry.'))
    .option('-n, --name <registry>', 'registry name or login server')
    .option('--suffix <suffix>', "tenant suffix of the login server: 'myreg-SUFFIX.azurecr.io'")
    .action((options: RegistryOptions & GlobalOptions) =>
      execute(io, options, async (context) => {
        const { logout } = await import('./login.js');
        return logout(context, options);
      }),
    );

  addRegistryOptions(repository.command('delete').description('Delete a repository or an image (the manifest and every tag on it).'))
    .option('--repository <repository>', 'the name of the repository')
    .option('-t, --image <image>', "the image: 'name:tag' or 'name@digest'; deleting by tag deletes the manifest and all its tags")
    .option('-y, --yes', 'do not prompt for confirmation')
    .action((options: RepositoryOptions) =>
      execute(io, options, async (context) => {
        const { exactlyOneTarget } = await import('./targets.js');
        const target = exactlyOneTarget(options, { allowDigest: true });
        const write = await import('./repository-write.js');
        return withRegistry<unknown>(context, options, (session) =>
          target.image
            ? write.deleteImage(context, session, target.image, options.yes === true)
            : write.deleteRepository(context, session, target.repository, options.yes === true),
        );
      }),
    );

  addRegistryOptions(repository.command('untag').description('Remove one tag; the manifest and its other tags stay.'))
    .requiredOption('-t, --image <image>', "the image to untag, as 'name:tag'")
    .action((options: RepositoryOptions) =>
      execute(io, options, async (context) => {
        const { taggedImage } = await import('./targets.js');
        const image = taggedImage(options.image ?? '');
        const { untag } = await import('./repository-write.js');
        return withRegistry(context, options, (session) => untag(session, image));
      }),
    );

  const update = addRegistryOptions(repository.command('update').description('Update the changeable attributes (locks) of a repository or an image.'))
    .option('--repository <repository>', 'the name of the repository')
    .option('-t, --image <image>', "the image: 'name:tag' or 'name@digest'");
  for (const [flag, , help] of ATTRIBUTE_FLAGS) update.option(`${flag} <bool>`, `${help} (true|false)`);
  update.action((options: RepositoryOptions) =>
    execute(io, options, async (context) => {
      const attributes = parseAttributes(options);
      const { exactlyOneTarget } = await import('./targets.js');
      const target = exactlyOneTarget(options, { allowDigest: true });
      const { update: run } = await import('./repository-write.js');
      return withRegistry(context, options, (session) => run(session, target, attributes));
    }),
  );

  const tag = program.command('tag').description('Lock and unlock tags (ACR).');
  for (const [name, description] of [
    ['lock', 'Lock a tag: no overwrite, no delete (writeEnabled=false, deleteEnabled=false).'],
    ['unlock', 'Unlock a tag (writeEnabled=true, deleteEnabled=true).'],
  ] as const) {
    const command = addRegistryOptions(tag.command(name).description(description)).requiredOption('-t, --image <image>', "the tag, as 'name:tag'");
    if (name === 'lock') command.option('--delete-only', 'only forbid delete (deleteEnabled=false); overwriting stays allowed');
    command.action((options: RepositoryOptions) =>
      execute(io, options, async (context) => {
        const { parseImage } = await import('../registry/reference.js');
        const image = parseImage(options.image ?? '', { allowDigest: false });
        const write = await import('./repository-write.js');
        const attributes = name === 'unlock' ? write.UNLOCK : options.deleteOnly ? write.LOCK_DELETE_ONLY : write.LOCK;
        return withRegistry(context, options, (session) => write.setTagLock(session, image, attributes, `tag ${name}`));
      }),
    );
  }

  addGlobalOptions(program.command('configure').description('Set defaults: acrx configure --defaults registry=NAME [output=FORMAT].'))
    .option('--defaults <pairs...>', 'space-separated KEY=VALUE pairs; keys: registry, output')
    .action((options: GlobalOptions & { defaults?: string[] }) =>
      execute(io, options, async (context) => {
        const { configure } = await import('./configure.js');
        return configure(context, options.defaults);
      }),
    );

  return program;
}
