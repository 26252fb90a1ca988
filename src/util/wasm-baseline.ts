// undici parses HTTP/1.1 with llhttp compiled to WebAssembly. V8's optimizing tier would spend ~35 MB of
// memory and tens of milliseconds compiling it (bin/acrx.cjs has the figures), for the few responses
// of a credential helper's call, which the baseline compiler parses about as fast. acrx sets this at
// start (bin/acrx.cjs); the helper only before it goes to the network, which most of its calls never
// do (node:v8 alone is ~1.5 ms).
import { builtin } from './builtin.js';

export function useBaselineWasm(): void {
  builtin('node:v8').setFlagsFromString('--liftoff-only');
}
