import { describe, expect, it } from 'vitest';
import type { Remedy } from '../../../src/errors.js';
import { withRemedy } from '../../../src/cli/hints.js';

describe('remedies in the words of the command line', () => {
  const cases: Array<[Remedy, RegExp]> = [
    [{ kind: 'use-plain-http' }, /; if it serves plain HTTP, use --plain-http$/],
    [{ kind: 'use-https' }, /try without --plain-http$/],
    [{ kind: 'trust-certificate' }, /--ca-file or NODE_EXTRA_CA_CERTS, or use --insecure$/],
    [{ kind: 'log-in', loginServer: 'r.example' }, /Log in with 'acrx login -n r\.example' or pass -u\/-p$/],
    [{ kind: 'give-credentials' }, /: pass -u\/--username with -p\/--password or --password-stdin$/],
    [{ kind: 'sign-in-to-entra' }, /sign in to Microsoft Entra ID/],
    [{ kind: 'declare-acr-api' }, /set ACRX_ACR_API=1$/],
    [{ kind: 'stop-declaring-acr-api' }, /unset ACRX_ACR_API/],
    [{ kind: 'lift-lock' }, /'acrx manifest update-metadata' and --write-enabled true --delete-enabled true$/],
    [{ kind: 'delete-whole-image', image: 'hello:v1' }, /'acrx repository delete --image hello:v1' removes the manifest with all its tags$/],
  ];
  it.each(cases)('%o', (remedy, expected) => {
    const message = withRemedy('something failed', remedy);
    expect(message.startsWith('something failed')).toBe(true);
    expect(message).toMatch(expected);
  });
  it('leaves a message without a remedy as it is', () => {
    expect(withRemedy('something failed', undefined)).toBe('something failed');
  });
});
