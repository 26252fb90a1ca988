// A hostile answer body: `total` bytes of filler written as fast as the client takes them (never
// faster: backpressure is honoured, so what was written shows how much the client read).
import type { ServerResponse } from 'node:http';

export function writeJunk(response: ServerResponse, total: number, onWritten: (bytes: number) => void = () => undefined, chunkSize = 256 * 1024): void {
  const chunk = Buffer.alloc(chunkSize, 0x7a);
  let written = 0;
  const pump = (): void => {
    while (written < total) {
      written += chunk.length;
      onWritten(written);
      if (!response.write(chunk)) return void response.once('drain', pump);
    }
    response.end();
  };
  response.on('close', () => response.removeAllListeners('drain'));
  pump();
}
