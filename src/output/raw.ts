// A result printed byte for byte, with no format and no --query: `manifest show --raw`, whose output
// must hash to the manifest's digest (az prints the raw text for the same reason).

export class RawOutput {
  constructor(readonly bytes: Uint8Array) {}
}
