#!/usr/bin/env node
// Builds mediasoup's C++ worker from the npm package against Debian's system libraries.
//
// Why: mediasoup's own install downloads a prebuilt worker, or else fetches the worker's
// dependencies from the internet. Government networks are often air-gapped, so we build
// offline: each of the worker's meson subprojects is replaced by a small stand-in (in
// resources/mediasoup-offline/subprojects) that declares the same variables from the system
// library. The result is cached in resources/worker/ and found by sfu-server/src/mediasoupWorker.ts.
//
// Usage: node scripts/build-mediasoup-worker.mjs [--force] [--if-possible]
//   --if-possible: exit 0 with a notice when the build tools are missing (used by postinstall,
//                  so `npm install` still works on a machine that only runs the renderer).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const force = args.has('--force');
const ifPossible = args.has('--if-possible');

const DEBIAN_PACKAGES = [
  'meson', 'ninja-build', 'pkg-config', 'g++', 'libuv1-dev', 'libssl-dev', 'libsrtp2-dev',
  'libusrsctp-dev', 'libabsl-dev', 'nlohmann-json3-dev',
];
const PKG_CONFIG_NAMES = ['libuv', 'openssl', 'libsrtp2', 'usrsctp', 'nlohmann_json', 'absl_flat_hash_map'];

function fail(message) {
  if (ifPossible) {
    console.warn(`[mediasoup-worker] not built: ${message}`);
    console.warn('[mediasoup-worker] run `npm run worker:build` once the packages are installed.');
    process.exit(0);
  }
  console.error(`[mediasoup-worker] ${message}`);
  process.exit(1);
}

function mediasoupPackageDir() {
  const dir = path.join(root, 'node_modules', 'mediasoup');
  if (!fs.existsSync(path.join(dir, 'package.json'))) fail('node_modules/mediasoup is missing: run `npm install` first.');
  return dir;
}

function cachedWorkerPath(version) {
  return path.join(root, 'resources', 'worker', `${process.platform}-${process.arch}`, `mediasoup-worker-${version}`);
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function checkTools() {
  const missingTools = ['meson', 'ninja', 'pkg-config', 'c++'].filter((tool) => !has(tool));
  const missingLibs = has('pkg-config')
    ? PKG_CONFIG_NAMES.filter((name) => spawnSync('pkg-config', ['--exists', name]).status !== 0)
    : PKG_CONFIG_NAMES;
  if (missingTools.length || missingLibs.length) {
    fail(
      `missing ${[...missingTools, ...missingLibs].join(', ')}. On Debian/Ubuntu: ` +
        `sudo apt-get install ${DEBIAN_PACKAGES.join(' ')}`,
    );
  }
}

function prepareSources(workerSrc, buildRoot) {
  fs.rmSync(buildRoot, { recursive: true, force: true });
  fs.cpSync(workerSrc, buildRoot, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}out${path.sep}`) && !src.endsWith(`${path.sep}out`),
  });
  const mesonFile = path.join(buildRoot, 'meson.build');
  // Debian bookworm ships meson 1.0.1; the worker builds fine with it despite asking for 1.1.
  const meson = fs.readFileSync(mesonFile, 'utf8').replace(/meson_version:\s*'>= ?1\.\d+\.\d+'/, "meson_version: '>= 1.0.0'");
  fs.writeFileSync(mesonFile, meson);
  const subprojects = path.join(buildRoot, 'subprojects');
  for (const entry of fs.readdirSync(subprojects)) {
    fs.rmSync(path.join(subprojects, entry), { recursive: true, force: true });
  }
  fs.cpSync(path.join(root, 'resources', 'mediasoup-offline', 'subprojects'), subprojects, { recursive: true });
}

function build() {
  const pkgDir = mediasoupPackageDir();
  const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const target = cachedWorkerPath(version);

  if (!force && fs.existsSync(target)) {
    console.log(`[mediasoup-worker] cached: ${path.relative(root, target)}`);
    return;
  }
  const shipped = path.join(pkgDir, 'worker', 'out', 'Release', 'mediasoup-worker');
  if (!force && fs.existsSync(shipped)) {
    // A machine with internet that let mediasoup's own install run already has a worker.
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(shipped, target);
    fs.chmodSync(target, 0o755);
    console.log(`[mediasoup-worker] using mediasoup's own build: ${path.relative(root, target)}`);
    return;
  }

  checkTools();
  const buildRoot = path.join(os.tmpdir(), `giao-ban-mediasoup-worker-${version}`);
  console.log(`[mediasoup-worker] building mediasoup ${version} worker offline in ${buildRoot} (a few minutes)`);
  prepareSources(path.join(pkgDir, 'worker'), buildRoot);
  const buildDir = path.join(buildRoot, 'out', 'build');
  const run = (cmd, cmdArgs) => {
    const result = spawnSync(cmd, cmdArgs, { cwd: buildRoot, stdio: 'inherit' });
    if (result.status !== 0) fail(`\`${cmd} ${cmdArgs.join(' ')}\` failed (exit ${result.status}).`);
  };
  run('meson', [
    'setup', '--buildtype', 'release', '-Db_ndebug=true', '-Db_pie=true', '-Db_staticpic=true',
    '--wrap-mode=nodownload', buildDir,
  ]);
  run('ninja', ['-C', buildDir, '-j', String(Math.max(1, os.availableParallelism())), 'mediasoup-worker']);

  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(buildDir, 'mediasoup-worker'), target);
  fs.chmodSync(target, 0o755);
  try {
    execFileSync('strip', [target], { stdio: 'ignore' });
  } catch {
    // An unstripped worker works the same; strip only saves disk.
  }
  fs.rmSync(buildRoot, { recursive: true, force: true });
  console.log(`[mediasoup-worker] built: ${path.relative(root, target)}`);
}

build();
