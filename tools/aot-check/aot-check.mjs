#!/usr/bin/env node
// Drives the AOT-vs-JIT check of .ci/aot.sh (docs/aot.md). Node only, no packages: it runs before any build tool.
//
//   node tools/aot-check/aot-check.mjs compare <aotUrl> <jitUrl>   every served route, v1 + v2, answers compared
//   node tools/aot-check/aot-check.mjs first   <url>                one face-fitter request, prints its latency (ms)
//   node tools/aot-check/aot-check.mjs load    <url> <n> [file]     n sequential requests (keep-alive), prints stats;
//                                                                   appends each latency to [file]
//   node tools/aot-check/aot-check.mjs stats   <file>               p50/p95/mean of the latencies in <file>
//   node tools/aot-check/aot-check.mjs otlp-sink <port> <dir>       a stand-in OTLP/HTTP collector: appends every
//        POST /v1/{traces,metrics,logs} body (protobuf) to <dir>/{traces,metrics,logs}.bin, answers 200
//
// Routes come from the binary's own /openapi/v1.json (so this also proves OpenAPI works under AOT); each
// POST /{service}/process/sample gets the vendor's v1 and v2 example with a real photo from shared/testdata, with the
// example's made-up objects replaced by what the JIT build's detector answered for that photo (so estimators see real
// boxes/keypoints, the matcher real templates); each /process/image gets a multipart upload. Both builds get the same
// bytes. Numbers are compared with a tolerance (JIT and AOT may vectorise float loops differently), binary blobs
// (templates) are decoded and compared element-wise. A 501 must be 501 in both; any other 5xx fails.
import { readFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = process.env.IMAGEAPI_SHARED || resolve(root, '..', 'shared');
const examples = join(shared, 'spec', 'examples');
const testdata = join(shared, 'testdata');

// Absolute + relative float tolerance, and for byte blobs that are not float32 arrays.
const ATOL = Number(process.env.AOT_ATOL || 1e-3);
const RTOL = Number(process.env.AOT_RTOL || 1e-3);
const BYTE_TOL = 1;

const FACE_IMAGE = 'group/obama_and_biden.jpg';
const imageFor = (service) => (service === 'body-detector' ? 'group/body_two_runners.jpg' : FACE_IMAGE);
// Where the objects of a non-detector's request come from (a detector of the same build answered first).
const objectsFrom = (service) =>
  service === 'verify-matcher' ? 'face-detector-template-extractor'
    : ['age-estimator', 'gender-estimator', 'emotion-estimator', 'mask-estimator', 'liveness-estimator',
        'quality-assessment-estimator', 'template-extractor'].includes(service) ? 'face-detector-face-fitter' : null;

const b64 = (file) => readFileSync(join(testdata, file)).toString('base64');
const example = (service, version) => JSON.parse(readFileSync(join(examples, `${service}.${version}.request.json`), 'utf8'));

function withImage(body, file) {
  if ('$image' in body) body['$image'] = b64(file);
  else if (body._image && typeof body._image === 'object') body._image.blob = b64(file);
  return body;
}

async function post(url, path, body, contentType = 'application/json') {
  const started = performance.now();
  const res = await fetch(url + path, {
    method: 'POST',
    headers: contentType ? { 'content-type': contentType } : {},
    body,
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let json = null;
  try { json = text.length ? JSON.parse(text) : null; } catch { json = { $nonJson: text.slice(0, 200) }; }
  return { status: res.status, json, ms };
}

async function get(url, path) {
  const res = await fetch(url + path, { signal: AbortSignal.timeout(60_000) });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') || '' };
}

function multipart(file) {
  const form = new FormData();
  form.append('image', new Blob([readFileSync(join(testdata, file))], { type: 'application/octet-stream' }), file.split('/').pop());
  return form;
}

// ---- comparison -------------------------------------------------------------------------------------------------
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function compareBlobs(a, b, path, diffs) {
  const x = Buffer.from(a, 'base64');
  const y = Buffer.from(b, 'base64');
  if (x.length !== y.length) { diffs.push(`${path}: blob length ${x.length} vs ${y.length}`); return; }
  if (x.length % 4 === 0) {
    const fx = new Float32Array(x.buffer, x.byteOffset, x.length / 4);
    const fy = new Float32Array(y.buffer, y.byteOffset, y.length / 4);
    const plausible = (f) => f.every((v) => Number.isFinite(v) && Math.abs(v) < 1e6);
    if (plausible(fx) && plausible(fy)) {
      for (let i = 0; i < fx.length; i++) {
        if (!close(fx[i], fy[i])) { diffs.push(`${path}: float32[${i}] ${fx[i]} vs ${fy[i]}`); return; }
      }
      return;
    }
  }
  for (let i = 0; i < x.length; i++) {
    if (Math.abs(x[i] - y[i]) > BYTE_TOL) { diffs.push(`${path}: byte[${i}] ${x[i]} vs ${y[i]}`); return; }
  }
}

const close = (a, b) => Math.abs(a - b) <= ATOL + RTOL * Math.max(Math.abs(a), Math.abs(b));

function compare(a, b, path, diffs) {
  if (diffs.length > 20) return;
  if (typeof a === 'number' && typeof b === 'number') {
    if (!close(a, b)) diffs.push(`${path}: ${a} vs ${b}`);
  } else if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return;
    if (a.length > 16 && BASE64.test(a) && BASE64.test(b)) compareBlobs(a, b, path, diffs);
    else diffs.push(`${path}: "${a.slice(0, 60)}" vs "${b.slice(0, 60)}"`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) { diffs.push(`${path}: ${a.length} items vs ${b.length}`); return; }
    a.forEach((v, i) => compare(v, b[i], `${path}[${i}]`, diffs));
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      if (!(k in a) || !(k in b)) diffs.push(`${path}.${k}: only in ${k in a ? 'AOT' : 'JIT'}`);
      else compare(a[k], b[k], `${path}.${k}`, diffs);
    }
  } else if (a !== b) {
    diffs.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
}

// ---- commands ---------------------------------------------------------------------------------------------------
async function servedRoutes(url) {
  const doc = await get(url, '/openapi/v1.json');
  if (doc.status !== 200) throw new Error(`${url}/openapi/v1.json answered ${doc.status}`);
  const paths = Object.keys(JSON.parse(doc.text).paths || {});
  return paths.filter((p) => /^\/[a-z-]+\/process\/(sample|image)$/.test(p)).sort();
}

async function commandCompare(aot, jit) {
  let failures = 0;
  const fail = (msg) => { failures++; console.log(`FAIL ${msg}`); };
  const ok = (msg) => console.log(`ok   ${msg}`);

  // Hosting endpoints that must work under AOT as they do under JIT.
  for (const path of ['/health/live', '/health/ready', '/info', '/openapi/v1.json', '/docs', '/docs/scalar.js']) {
    const [x, y] = [await get(aot, path), await get(jit, path)];
    if (x.status !== 200 || y.status !== 200) fail(`GET ${path}: AOT ${x.status}, JIT ${y.status}`);
    else if (path === '/docs' && !/scalar/i.test(x.text)) fail(`GET /docs: AOT page is not the Scalar reference`);
    else ok(`GET ${path}: 200 in both (${x.text.length} / ${y.text.length} bytes)`);
  }
  const info = [JSON.parse((await get(aot, '/info')).text), JSON.parse((await get(jit, '/info')).text)];
  const names = info.map((i) => JSON.stringify((i.models || []).map((m) => `${m.name}@${m.sha256}`)));
  if (names[0] !== names[1]) fail(`/info models differ: ${names[0]} vs ${names[1]}`);

  const routes = await servedRoutes(aot);
  const jitRoutes = await servedRoutes(jit);
  if (JSON.stringify(routes) !== JSON.stringify(jitRoutes)) fail(`route sets differ: ${routes} vs ${jitRoutes}`);
  if (routes.length === 0) fail('the binary serves no /process route');

  // Detectors first, so that the estimators can be fed their real answers.
  const order = (p) => (objectsFrom(p.split('/')[1]) ? 1 : 0) + (p.startsWith('/verify-matcher') ? 1 : 0);
  routes.sort((p, q) => order(p) - order(q) || p.localeCompare(q));
  const answers = new Map(); // `${service}.${version}` -> JIT answer
  const servedHere = new Set(routes.map((p) => p.split('/')[1]));

  for (const path of routes) {
    const service = path.split('/')[1];
    const requests = [];
    if (path.endsWith('/image')) {
      requests.push({ label: 'multipart', make: () => ({ body: multipart(imageFor(service)), type: null }) });
    } else if (service === 'face-identifier') {
      // ImageApi's 1:N service (docs/identification.md, no spec example): a gallery with one person enrolled from a
      // photo through /galleries (SQLite under AOT), then the face image searched in v1 and v2.
      for (const url of [aot, jit]) {
        for (const [route, body] of [
          ['/galleries', { id: 'aot-check' }],
          ['/galleries/aot-check/persons', { id: 'obama' }],
        ]) {
          const r = await post(url, route, JSON.stringify(body));
          if (r.status !== 201 && r.status !== 409) fail(`POST ${route} on ${url}: ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
        }
        const enrol = await post(url, '/galleries/aot-check/persons/obama/templates', JSON.stringify({ $image: b64('identity/obama_1.jpg') }));
        if (enrol.status !== 201) fail(`enrol on ${url}: ${enrol.status} ${JSON.stringify(enrol.json).slice(0, 200)}`);
      }
      for (const version of ['v1', 'v2']) {
        requests.push({
          label: version,
          query: '?gallery=aot-check&k=3&echo_image=false',
          make: () => ({
            body: JSON.stringify(version === 'v1' ? { $image: b64(FACE_IMAGE) } : { _image: { blob: b64(FACE_IMAGE), format: 'IMAGE' } }),
            type: 'application/json',
          }),
        });
      }
    } else if (service === 'pipeline') {
      // The orchestration route (not a vendor service, no spec example): the fitter's example through two stages.
      for (const version of ['v1', 'v2']) {
        requests.push({
          label: version,
          query: '?services=face-detector-face-fitter,quality-assessment-estimator',
          make: () => ({ body: JSON.stringify(withImage(example('face-detector-face-fitter', version), FACE_IMAGE)), type: 'application/json' }),
        });
      }
    } else {
      for (const version of ['v1', 'v2']) {
        requests.push({
          label: version,
          make: () => {
            let body = withImage(example(service, version), imageFor(service));
            const source = objectsFrom(service);
            const prior = source && answers.get(`${source}.${version}`);
            if (prior && Array.isArray(prior.objects) && prior.objects.length > 0) {
              body.objects = service === 'verify-matcher' ? prior.objects.slice(0, 2) : prior.objects;
              if (service === 'verify-matcher') { delete body['$image']; delete body._image; }
            } else if (source && servedHere.has(source)) {
              console.log(`note ${path} ${version}: ${source} gave no objects; the example's objects are used`);
            }
            return { body: JSON.stringify(body), type: 'application/json' };
          },
        });
      }
    }

    for (const r of requests) {
      const label = `POST ${path}${r.query || ''} ${r.label}`;
      try {
        const req = r.make();
        const target = path + (r.query || '');
        const x = await post(aot, target, req.body, req.type);
        const again = r.label === 'multipart' ? r.make() : req; // a FormData body is consumed once sent
        const y = await post(jit, target, again.body, again.type);
        if (r.label !== 'multipart' && !r.query && y.status === 200) answers.set(`${service}.${r.label}`, y.json);
        if (x.status !== y.status) { fail(`${label}: status AOT ${x.status} vs JIT ${y.status}`); continue; }
        if (x.status >= 500 && x.status !== 501) { fail(`${label}: ${x.status} in both: ${JSON.stringify(x.json).slice(0, 200)}`); continue; }
        const diffs = [];
        compare(x.json, y.json, '$', diffs);
        if (diffs.length) fail(`${label}: ${x.status}, answers differ:\n       ${diffs.slice(0, 8).join('\n       ')}`);
        else ok(`${label}: ${x.status} in both, same answer${x.status === 200 ? ` (${(x.json?.objects || []).length} objects)` : ''}` +
          ` [AOT ${x.ms.toFixed(0)} ms, JIT ${y.ms.toFixed(0)} ms]`);
      } catch (e) {
        fail(`${label}: ${e.message}`);
      }
    }
  }

  console.log(`${routes.length} routes compared; ${failures === 0 ? 'all answers agree' : `${failures} failure(s)`}`);
  process.exit(failures === 0 ? 0 : 1);
}

const fitterBody = (file) => JSON.stringify(withImage(example('face-detector-face-fitter', 'v2'), file));

async function commandFirst(url) {
  const r = await post(url, '/face-detector-face-fitter/process/sample?echo_image=false', fitterBody(FACE_IMAGE));
  console.log(JSON.stringify({ status: r.status, ms: Number(r.ms.toFixed(1)) }));
}

// n sequential requests; with a times file, appends each latency (ms) as a line there, for `stats` over several runs.
async function commandLoad(url, n, timesFile) {
  const body = fitterBody('identity/biden_1.jpg');
  const times = [];
  for (let i = 0; i < n; i++) {
    const r = await post(url, '/face-detector-face-fitter/process/sample?echo_image=false', body);
    if (r.status !== 200) throw new Error(`load request ${i} answered ${r.status}`);
    times.push(r.ms);
  }
  if (timesFile) appendFileSync(timesFile, times.map((t) => t.toFixed(2)).join('\n') + '\n');
  printStats(times);
}

function printStats(times) {
  times.sort((a, b) => a - b);
  const q = (p) => Number(times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1));
  console.log(JSON.stringify({ n: times.length, p50: q(0.5), p95: q(0.95), mean: Number((times.reduce((s, t) => s + t, 0) / times.length).toFixed(1)) }));
}

function commandOtlpSink(port, dir) {
  mkdirSync(dir, { recursive: true });
  createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const signal = (req.url || '').match(/^\/v1\/(traces|metrics|logs)/)?.[1];
      if (req.method === 'POST' && signal) appendFileSync(join(dir, `${signal}.bin`), Buffer.concat(chunks));
      // An empty protobuf message is a valid Export*ServiceResponse.
      res.writeHead(signal ? 200 : 404, { 'content-type': 'application/x-protobuf' }).end();
    });
  }).listen(port, '127.0.0.1');
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'compare' && args.length === 2) await commandCompare(args[0], args[1]);
else if (cmd === 'first' && args.length === 1) await commandFirst(args[0]);
else if (cmd === 'load' && (args.length === 2 || args.length === 3)) await commandLoad(args[0], Number(args[1]), args[2]);
else if (cmd === 'stats' && args.length === 1) printStats(readFileSync(args[0], 'utf8').split('\n').filter(Boolean).map(Number));
else if (cmd === 'otlp-sink' && args.length === 2) commandOtlpSink(Number(args[0]), args[1]);
else {
  console.error('usage: aot-check.mjs compare <aotUrl> <jitUrl> | first <url> | load <url> <n> [file] | stats <file> | otlp-sink <port> <dir>');
  process.exit(2);
}
