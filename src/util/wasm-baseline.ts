// undici parses HTTP/1.1 with llhttp compiled to WebAssembly. V8's optimizing tier would spend ~35 MB
// of memory and tens of milliseconds of every start compiling it, for a command line's few hundred
// responses, which the baseline compiler parses about as fast. Set before undici loads.
import { setFlagsFromString } from 'node:v8';

export function useBaselineWasm(): void {
  setFlagsFromString('--liftoff-only');
}
