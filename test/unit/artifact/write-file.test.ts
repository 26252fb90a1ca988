import { lstatSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DestinationExistsError } from '../../../src/errors.js';
import { writeThroughTemp } from '../../../src/artifact/write-file.js';
import { pullSandbox, useTemporaryDirectories } from './fixtures.js';

const temporaryDirectory = useTemporaryDirectories();

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.from(part);
}

async function* failingAfter(part: string): AsyncGenerator<Buffer> {
  yield Buffer.from(part);
  throw new Error('digest mismatch for blob sha256:abc');
}

describe('writeThroughTemp', () => {
  it('writes every byte to the destination and leaves no temporary file', async () => {
    const { out } = pullSandbox(temporaryDirectory());
    const written = await writeThroughTemp(chunks('hello ', 'world'), join(out, 'greeting.txt'));
    expect(written).toBe(11);
    expect(readFileSync(join(out, 'greeting.txt'), 'utf8')).toBe('hello world');
    expect(readdirSync(out)).toEqual(['greeting.txt']);
  });

  it('deletes the temporary file and writes no destination when the source fails midway', async () => {
    const { out } = pullSandbox(temporaryDirectory());
    await expect(writeThroughTemp(failingAfter('partial'), join(out, 'blob.bin'))).rejects.toThrow('digest mismatch for blob sha256:abc');
    expect(readdirSync(out)).toEqual([]);
  });

  it('keeps the old file whole when an overwrite fails midway', async () => {
    const { out } = pullSandbox(temporaryDirectory());
    writeFileSync(join(out, 'blob.bin'), 'old content');
    await expect(writeThroughTemp(failingAfter('new'), join(out, 'blob.bin'), { overwrite: true })).rejects.toThrow('digest mismatch');
    expect(readFileSync(join(out, 'blob.bin'), 'utf8')).toBe('old content');
    expect(readdirSync(out)).toEqual(['blob.bin']);
  });

  it('refuses to replace a file that exists by the time it is written, unless overwriting', async () => {
    const { out } = pullSandbox(temporaryDirectory());
    writeFileSync(join(out, 'late.txt'), 'someone else');
    const refusal = writeThroughTemp(chunks('mine'), join(out, 'late.txt'));
    await expect(refusal).rejects.toBeInstanceOf(DestinationExistsError);
    expect(readFileSync(join(out, 'late.txt'), 'utf8')).toBe('someone else');
    expect(readdirSync(out)).toEqual(['late.txt']);

    await writeThroughTemp(chunks('mine'), join(out, 'late.txt'), { overwrite: true });
    expect(readFileSync(join(out, 'late.txt'), 'utf8')).toBe('mine');
  });

  it('replaces a symlink at the destination itself, never the file it points to', async () => {
    const { out, sentinel } = pullSandbox(temporaryDirectory());
    symlinkSync(sentinel, join(out, 'link.txt'));
    await writeThroughTemp(chunks('pulled'), join(out, 'link.txt'), { overwrite: true });
    expect(lstatSync(join(out, 'link.txt')).isFile()).toBe(true);
    expect(readFileSync(join(out, 'link.txt'), 'utf8')).toBe('pulled');
    expect(readFileSync(sentinel, 'utf8')).toBe('untouched\n');
  });

  it('stops and cleans up when the command is interrupted', async () => {
    const { out } = pullSandbox(temporaryDirectory());
    const controller = new AbortController();
    async function* slow(): AsyncGenerator<Buffer> {
      yield Buffer.from('first');
      controller.abort(new Error('interrupted'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      yield Buffer.from('second');
    }
    await expect(writeThroughTemp(slow(), join(out, 'big.bin'), { signal: controller.signal })).rejects.toThrow();
    expect(readdirSync(out)).toEqual([]);
  });
});
