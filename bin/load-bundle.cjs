// Loads a program's bundle from dist/ as require() would, but compiled through V8's code cache: most of
// a short command's start-up is V8 compiling the bundle's functions, and a cache made by an earlier run
// skips that. Node 22.1+ has such a cache built in (module.enableCompileCache); Node 20 does not, so
// this does the same for the one file that matters, on every Node version.
//
// The cache is per user ($XDG_CACHE_HOME/acrx, else ~/.cache/acrx), one file per program, command word
// and installation, written by the first run of that command that succeeds: it then holds the functions
// that command compiled. V8 takes a cache only from the same Node version, the same source and the same
// V8 flags, and otherwise rejects it, which makes it anew: a program sets the flags it always wants
// before loading its bundle (bin/acrx.cjs). Compiled code runs as the user's own, so a cache file or
// directory that another user owns, or that others may write to, is never read or written.
// NODE_DISABLE_COMPILE_CACHE=1 (Node's own switch) turns it off. A failure to read or write the cache
// only costs the time it would have saved.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire } = require('node:module');

/**
 * The exports of dist/<name>.cjs. `word` names the cache among the program's others (a command or
 * verb); a run that exits with another code than 0 leaves no cache behind (it may have been a typo).
 */
function loadBundle(name, word) {
  return evaluate(path.join(__dirname, '..', 'dist', `${name}.cjs`), name, word);
}

// The parts (dist/parts/<part>.cjs): libraries only some commands use, loaded by the bundle when it
// first needs one (scripts/build.mjs), each through a code cache of its own.
const parts = new Map();
function loadPart(part) {
  if (!parts.has(part)) parts.set(part, evaluate(path.join(__dirname, '..', 'dist', 'parts', `${part}.cjs`), 'part', part));
  return parts.get(part);
}

// Each file in dist/ is one function expression (scripts/build.mjs): compiled as it stands, then
// called as Node calls a CommonJS module's wrapper, with loadPart besides.
function evaluate(file, name, word) {
  const sourceFd = fs.openSync(file, 'r');
  let source;
  let cachedData;
  let cacheFile;
  try {
    const stat = fs.fstatSync(sourceFd);
    cacheFile = cachePath(file, stat, name, word);
    const cache = cacheFile === undefined ? undefined : openOwnFile(cacheFile);
    try {
      reserve(Math.max(stat.size, cache?.size ?? 0));
      // esbuild writes ASCII (it escapes the rest), which latin1 reads without UTF-8's decoding pass.
      source = readWhole(sourceFd, stat.size).toString('latin1');
      cachedData = cache === undefined ? undefined : readWhole(cache.fd, cache.size);
    } finally {
      if (cache !== undefined) fs.closeSync(cache.fd);
    }
  } finally {
    fs.closeSync(sourceFd);
  }
  const script = new vm.Script(source, {
    filename: file,
    // No importModuleDynamically: Node 20 allows import() in a vm script only behind an experimental
    // flag, so the build makes sure the bundle has none (scripts/build.mjs).
    cachedData,
  });
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected)) {
    process.once('exit', (code) => {
      if (code === 0) writeCache(cacheFile, script);
    });
  }
  const module = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file), loadPart);
  module.loaded = true;
  return module.exports;
}

// One buffer for every file read here, so that each read reuses the memory the last one touched (a
// fresh page costs more than the copy into it): the source is copied out of it into a string, and V8
// reads a cache only while the script compiles.
let scratch = Buffer.alloc(0);
function reserve(size) {
  if (scratch.length < size) scratch = Buffer.allocUnsafeSlow(size);
}
function readWhole(fd, size) {
  reserve(size);
  let length = 0;
  while (length < size) {
    const read = fs.readSync(fd, scratch, length, size - length, null);
    if (read === 0) break;
    length += read;
  }
  return scratch.subarray(0, length);
}

function cachePath(file, stat, name, word) {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  try {
    const home = process.env.HOME || process.env.USERPROFILE || require('node:os').homedir();
    const dir = path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'acrx');
    if (!safeToUse(dir, true)) return undefined;
    const key = /^[a-z_][a-z_-]{0,40}$/.test(word ?? '') ? word : 'other';
    // Where the bundle is tells one installation from another (each keeps its own caches); its size and
    // time tell one build from the next without reading it twice.
    const build = `${stat.size.toString(36)}${Math.trunc(stat.mtimeMs).toString(36)}`;
    return path.join(dir, `${name}.${key}.${hashOf(file)}.${build}.${process.version}.${process.arch}.v8cache`);
  } catch {
    return undefined;
  }
}

// Owned by this user and writable by no one else; a directory that is not there yet will be made so.
function safeToUse(target, missingIsSafe) {
  if (typeof process.getuid !== 'function') return true;
  try {
    const stat = fs.statSync(target);
    return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
  } catch (error) {
    return missingIsSafe && error.code === 'ENOENT';
  }
}

// FNV-1a, 32 bits: a short stable name for a path (not a defence against anything).
function hashOf(text) {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return (hash >>> 0).toString(36);
}

// The descriptor and size of a file this user owns and no one else may write to; else undefined.
function openOwnFile(file) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
    const stat = fs.fstatSync(fd);
    if (typeof process.getuid !== 'function' || (stat.uid === process.getuid() && (stat.mode & 0o022) === 0)) return { fd, size: stat.size };
  } catch {
    // Not there, or not readable: no cache.
  }
  if (fd !== undefined) fs.closeSync(fd);
  return undefined;
}

// Written whole or not at all (a temp file renamed over), with the caches of older builds removed.
function writeCache(file, script) {
  const dir = path.dirname(file);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!safeToUse(dir, false)) return;
    fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(temp, file);
    // name.word.installation: the same command of the same installation, an older build.
    const prefix = path.basename(file).split('.').slice(0, 3).join('.');
    for (const old of fs.readdirSync(dir)) {
      if (old !== path.basename(file) && old.startsWith(`${prefix}.`) && old.endsWith('.v8cache')) fs.rmSync(path.join(dir, old), { force: true });
    }
  } catch {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // Nothing more to do: the next run tries again.
    }
  }
}

module.exports = { loadBundle };
