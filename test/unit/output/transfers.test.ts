import { describe, expect, it } from 'vitest';
import { formatBytes, TransferBars, transferLines } from '../../../src/output/transfers.js';

describe('transfer progress', () => {
  it('counts bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });

  it('draws a bar per blob on a terminal, redrawing the same lines in place', () => {
    let written = '';
    let clock = 0;
    const bars = new TransferBars({ write: (chunk: string | Uint8Array) => ((written += String(chunk)), true), columns: 100 }, () => clock);
    const a = bars.start('layer-a.tar', 2048);
    const b = bars.start('layer-b.tar', 1024);
    clock = 1000;
    a.advance(1024);
    b.done('exists');
    expect(written).toContain('layer-b.tar');
    expect(written).toContain('exists 1.0 KiB');
    a.done('pushed');
    // The second drawing goes back up over the two lines drawn before.
    expect(written).toContain('\x1b[2F');
    expect(written.trimEnd().split('\n').at(-2)).toMatch(/^(?:\x1b\[2F)?\x1b\[2Klayer-a\.tar\s+\[=+\] pushed 2\.0 KiB$/);
  });

  it('writes one line per finished blob for logs', () => {
    const lines: string[] = [];
    let clock = 0;
    const transfer = transferLines((line) => lines.push(line), () => clock)('app.tgz', 4096);
    clock = 2500;
    transfer.done('pulled');
    expect(lines).toEqual(['pulled app.tgz (4.0 KiB) in 2.5 s']);
  });
});
