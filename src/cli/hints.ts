// What the user can do about an error, in the command line's own words: lower layers name the remedy,
// this file names the flag, variable or command that applies it.
import type { Remedy } from '../errors.js';

export function withRemedy(message: string, remedy: Remedy | undefined): string {
  if (!remedy) return message;
  switch (remedy.kind) {
    case 'use-plain-http':
      return `${message}; if it serves plain HTTP, use --plain-http`;
    case 'use-https':
      return `${message}; it may speak HTTPS only: try without --plain-http`;
    case 'trust-certificate':
      return `${message}. Trust its CA with --ca-file or NODE_EXTRA_CA_CERTS, or use --insecure`;
    case 'log-in':
      return `${message}. Log in with 'acrx login -n ${remedy.loginServer}' or pass -u/-p`;
    case 'give-credentials':
      return `${message}: pass -u/--username with -p/--password or --password-stdin`;
    case 'sign-in-to-entra':
      return `${message}: pass -u/-p, or sign in to Microsoft Entra ID (az login, a managed identity, or AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET)`;
    case 'declare-acr-api':
      return `${message}; for an ACR registry behind a custom domain set ACRX_ACR_API=1`;
    case 'stop-declaring-acr-api':
      return `${message}; unset ACRX_ACR_API to use the OCI API only`;
    case 'lift-lock':
      return `${message}. If it is locked: the repository, the tag and the manifest each have their own locks ('acrx repository show', 'acrx manifest show-metadata'); lift one with 'acrx repository update' or 'acrx manifest update-metadata' and --write-enabled true --delete-enabled true`;
    case 'replace-or-keep-files':
      return `${message}. Pass --overwrite to replace it, or --keep-old-files to leave it and skip that layer`;
    case 'delete-whole-image':
      return `${message}. Where the registry allows deletes, 'acrx repository delete --image ${remedy.image}' removes the manifest with all its tags`;
  }
}
