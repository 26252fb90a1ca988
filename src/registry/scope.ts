// Token scopes per the docker token spec: `repository:NAME:action[,action]`.

export function repositoryScope(repository: string, actions: string[]): string {
  return `repository:${repository}:${actions.join(',')}`;
}

export const CATALOG_SCOPE = 'registry:catalog:*';
