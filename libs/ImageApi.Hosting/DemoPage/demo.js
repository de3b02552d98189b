// The demo page at "/": sends the chosen photo to this host's own routes and draws the JSON answer.
// Plain script, no build step and nothing loaded from elsewhere, so it works offline and under Native AOT (embedded).
'use strict';

(() => {
  // Pipeline order: the face fitter first (every face service needs its boxes and keypoints), bodies after.
  const SERVICES = [
    { name: 'face-detector-face-fitter', label: 'Faces: box, 21 keypoints, head pose', face: false },
    { name: 'body-detector', label: 'Bodies', face: false },
    { name: 'age-estimator', label: 'Age', face: true },
    { name: 'gender-estimator', label: 'Gender', face: true },
    { name: 'emotion-estimator', label: 'Emotion (7 classes)', face: true },
    { name: 'mask-estimator', label: 'Medical mask', face: true },
    { name: 'liveness-estimator', label: 'Liveness', face: true },
    { name: 'quality-assessment-estimator', label: 'Quality (29 checks)', face: true },
    { name: 'template-extractor', label: 'Face template (used for verification)', face: true },
  ];
  const FITTER = 'face-detector-face-fitter';
  const TEMPLATES = 'template-extractor';
  const DISPLAY_MAX = 1280; // longest side drawn; the request always carries the original bytes
  // A verdict needs an operating point: accept a pair when accepting it keeps the false accept rate at or under 1e-3.
  const FAR_TARGET = 1e-3;

  const $ = (id) => document.getElementById(id);
  const photos = { a: null, b: null };
  let requestCount = 0;

  // ---------- inputs ----------

  function buildServiceList() {
    const list = $('service-list');
    for (const s of SERVICES) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.name = 'service';
      box.value = s.name;
      box.checked = true;
      box.id = 'svc-' + s.name;
      label.htmlFor = box.id;
      const text = document.createElement('span');
      text.innerHTML = `${escapeHtml(s.label)} <code class="muted">${s.name}</code>`;
      label.append(box, text);
      list.append(label);
    }
  }

  function chosenServices(needTemplates) {
    const set = new Set([...document.querySelectorAll('input[name=service]:checked')].map((b) => b.value));
    if (needTemplates) set.add(TEMPLATES);
    if (SERVICES.some((s) => s.face && set.has(s.name))) set.add(FITTER);
    return SERVICES.map((s) => s.name).filter((n) => set.has(n));
  }

  function dialect() {
    return document.querySelector('input[name=dialect]:checked').value;
  }

  async function loadPhoto(slot, file) {
    if (!file) return;
    if (photos[slot]) URL.revokeObjectURL(photos[slot].url);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.decoding = 'async';
    img.src = url;
    try {
      await img.decode();
    } catch {
      // The browser cannot show it (e.g. a format it lacks); the API may still read it, so send it anyway.
    }
    photos[slot] = { file, name: file.name || 'photo.jpg', bytes, base64: toBase64(bytes), url, img };
    $('name-' + slot).textContent = `${photos[slot].name} — ${formatBytes(bytes.length)}` +
      (img.naturalWidth ? `, ${img.naturalWidth}×${img.naturalHeight}` : '');
    $('clear-b').hidden = !photos.b;
    showPhoto(slot);
    setStatus('Ready: press "Full analysis" or choose services and run them.');
  }

  function toBase64(bytes) {
    // btoa needs a binary string; build it in chunks so that a 10 MB photo does not overflow the call stack.
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  }

  function wireDrop(slot) {
    const zone = $('drop-' + slot);
    const input = $('file-' + slot);
    input.addEventListener('change', () => loadPhoto(slot, input.files[0]));
    zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('over');
      const file = e.dataTransfer.files[0];
      if (file) loadPhoto(slot, file);
    });
  }

  // ---------- requests ----------

  function imageBody(photo, d) {
    // Built from the same pieces as the curl command, so that both send byte-identical bodies.
    const [head, tail] = d === 'v1' ? ['{"$image": "', '"}'] : ['{"_image": {"blob": "', '", "format": "IMAGE"}}'];
    return { head, tail, text: head + photo.base64 + tail };
  }

  function imageRequest(photo, services, d) {
    const single = services.length === 1;
    const path = single ? `/${services[0]}/process/sample` : '/pipeline/process/sample';
    const query = single ? 'echo_image=false' : `services=${services.join(',')}&timings=true&echo_image=false`;
    const body = imageBody(photo, d);
    return { path, query, body: body.text, photo, head: body.head, tail: body.tail };
  }

  function shellQuote(s) {
    return "'" + String(s).replace(/'/g, "'\\''") + "'";
  }

  function target(req) {
    return req.query ? `${req.path}?${req.query}` : req.path;
  }

  function curlFor(req, n) {
    const url = location.origin + target(req);
    if (req.method === 'GET') return `curl -s ${shellQuote(url)}`;
    const file = `/tmp/imageapi-request-${n}.json`;
    let write;
    if (req.photo) {
      // The photo's base64 goes through a pipe, never an argument: a large photo would pass the shell's argument limit.
      write = `{ printf '%s' ${shellQuote(req.head)}; base64 -w0 ${shellQuote(req.photo.name)}; printf '%s' ${shellQuote(req.tail)}; } > ${file}`;
    } else {
      write = `cat > ${file} <<'IMAGEAPI_JSON'\n${req.body}\nIMAGEAPI_JSON`;
    }
    return `${write}\ncurl -s ${shellQuote(url)} -H 'content-type: application/json' -d @${file}`;
  }

  async function send(req, title) {
    const n = ++requestCount;
    const res = await call(req);
    addRequestCard(n, title, req, res.status, res.json, res.text, res.ms);
    return res;
  }

  // The request alone, with no card: for the gallery list the page refreshes by itself (at load, after a change).
  async function call(req) {
    const method = req.method || 'POST';
    const started = performance.now();
    let status = 0;
    let json = null;
    let text = '';
    try {
      const res = await fetch(target(req), method === 'GET'
        ? { method }
        : { method, headers: { 'content-type': 'application/json' }, body: req.body });
      status = res.status;
      text = await res.text();
      try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    } catch (e) {
      text = String(e);
    }
    return { ok: status >= 200 && status < 300 && json !== null, status, json, text, ms: performance.now() - started };
  }

  function addRequestCard(n, title, req, status, json, text, ms) {
    const card = document.createElement('article');
    card.className = 'request';
    card.dataset.request = String(n);
    card.dataset.status = String(status);
    const ok = status >= 200 && status < 300;
    const curl = curlFor(req, n);
    const pretty = json !== null ? JSON.stringify(json, null, 2) : text;
    card.innerHTML = `
      <div class="line">
        <h3>${escapeHtml(title)}</h3>
        <span class="${ok ? 'code-ok' : 'code-bad'}">HTTP ${status || 'error'}</span>
        <span class="muted">${ms.toFixed(0)} ms in the browser</span>
      </div>
      <div class="url"><code>${req.method || 'POST'} ${escapeHtml(target(req))}</code></div>
      <div class="line">
        <button type="button" class="copy-curl">Copy as curl</button>
        <button type="button" class="copy-json">Copy the JSON answer</button>
      </div>
      <details class="curl-details"><summary>curl command${req.photo ? ' (run it in the folder that holds ' + escapeHtml(req.photo.name) + ')' : ''}</summary>
        <pre class="curl"></pre></details>
      <details class="json-details"><summary>Raw JSON answer</summary><pre class="raw-json"></pre></details>`;
    card.querySelector('pre.curl').textContent = curl;
    card.querySelector('pre.raw-json').textContent = pretty;
    card.querySelector('.copy-curl').addEventListener('click', (e) => copy(curl, e.target));
    card.querySelector('.copy-json').addEventListener('click', (e) => copy(pretty, e.target));
    $('requests').append(card);
  }

  async function copy(text, button) {
    const old = button.textContent;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      // No clipboard (plain http on another host): open the text so it can be selected by hand.
      button.closest('.request').querySelectorAll('details').forEach((d) => { if (d.querySelector('pre').textContent === text) d.open = true; });
      button.textContent = 'Select it below';
    }
    setTimeout(() => { button.textContent = old; }, 1500);
  }

  // ---------- run ----------

  async function run(full) {
    if (!photos.a) {
      showError('Choose a photo first.');
      $('file-a').focus();
      return;
    }
    if (full) document.querySelectorAll('input[name=service]').forEach((b) => { b.checked = true; });
    const d = dialect();
    const services = chosenServices(!!photos.b);
    if (services.length === 0) {
      showError('Choose at least one service.');
      return;
    }
    resetResults();
    setBusy(true);
    const answers = {};
    try {
      for (const slot of ['a', 'b']) {
        const photo = photos[slot];
        if (!photo) continue;
        setStatus(`Analysing ${photo.name}…`);
        const res = await send(imageRequest(photo, services, d), `${photo.name}: ${services.length === 1 ? services[0] : 'pipeline of ' + services.length + ' services'}`);
        if (!res.ok) return fail(res, services.length > 1 ? '/pipeline/process/sample' : `/${services[0]}/process/sample`);
        answers[slot] = res.json;
        draw(slot, res.json, d);
      }
      renderFaces(answers, d);
      renderTimings(answers.a.timings);
      if (photos.b) {
        const pair = [answers.a, answers.b].map(largestFace);
        if (pair.some((f) => !f)) {
          showError('Verification needs a face in each photo' + (pair[0] ? ': none was found in the second one.' : ': none was found in the first one.'));
        } else {
          setStatus('Comparing the largest face of each photo…');
          const req = verifyRequest(pair, d);
          const res = await send(req, 'verify-matcher: largest face of each photo');
          if (!res.ok) return fail(res, req.path);
          renderVerification(res.json.verification);
        }
      }
      const faces = countFaces(answers.a) + (answers.b ? countFaces(answers.b) : 0);
      setStatus(`Done: ${faces} face${faces === 1 ? '' : 's'} found.`);
      $('results').dataset.state = 'done';
    } finally {
      setBusy(false);
    }
  }

  function fail(res, path) {
    showError(res.status === 404 && !(res.json && res.json.detail)
      // A single-service host of the distributed mode serves this page but not the other routes.
      ? `HTTP 404: this host does not serve ${path}. Open the page on the embedded host or the orchestrator.`
      : describeError(res));
    setStatus('The API refused the request.');
    $('results').dataset.state = 'error';
  }

  function describeError(res) {
    const detail = res.json && res.json.detail;
    if (typeof detail === 'string') return `HTTP ${res.status}: ${detail}`;
    if (Array.isArray(detail)) {
      return `HTTP ${res.status}:\n` + detail.map((i) => `${(i.loc || []).join(' → ')}: ${i.msg}`).join('\n');
    }
    return res.status ? `HTTP ${res.status}: ${res.text.slice(0, 500)}` : `The request did not reach the API: ${res.text}`;
  }

  function verifyRequest(pair, d) {
    // Only the template fields travel: the matcher needs nothing else, and the command stays short.
    const objects = pair.map((f) => d === 'v1'
      ? { class: 'face', $template: f.$template, template_size: f.template_size }
      : { class: 'face', template: f.template });
    return { path: '/verify-matcher/process/sample', query: 'echo_image=false', body: JSON.stringify({ objects }), photo: null };
  }

  // ---------- drawing ----------

  function faces(answer) {
    return ((answer && answer.objects) || []).filter((o) => o.class === 'face' && Array.isArray(o.bbox));
  }

  function countFaces(answer) {
    return faces(answer).length;
  }

  function largestFace(answer) {
    const area = (f) => (f.bbox[2] - f.bbox[0]) * (f.bbox[3] - f.bbox[1]);
    return faces(answer).filter((f) => f.template || f.$template).sort((x, y) => area(y) - area(x))[0];
  }

  function showPhoto(slot) {
    const photo = photos[slot];
    const canvas = $('canvas-' + slot);
    $('view-' + slot).hidden = !photo;
    if (!photo) return;
    const { img } = photo;
    const w = img.naturalWidth || 640;
    const h = img.naturalHeight || 480;
    const scale = Math.min(1, DISPLAY_MAX / Math.max(w, h));
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (img.naturalWidth) ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    canvas.dataset.faces = '0';
    canvas.dataset.bodies = '0';
    $('caption-' + slot).textContent = scale < 1
      ? `${photo.name}: shown at ${canvas.width}×${canvas.height}, sent at ${w}×${h}`
      : `${photo.name}: ${w}×${h}`;
  }

  function draw(slot, answer, d) {
    showPhoto(slot);
    const photo = photos[slot];
    const canvas = $('canvas-' + slot);
    const ctx = canvas.getContext('2d');
    const W = canvas.width;
    const H = canvas.height;
    // Line widths and labels in canvas pixels that come out the same size on screen, phone or desktop.
    const unit = 1.5 * Math.max(1, W / Math.max(1, canvas.clientWidth || W));
    const objects = (answer.objects || []).filter((o) => Array.isArray(o.bbox));
    // Bodies first, so that the faces inside them stay on top.
    const ordered = [...objects.filter((o) => o.class !== 'face'), ...objects.filter((o) => o.class === 'face')];
    const boxOf = (o) => [o.bbox[0] * W, o.bbox[1] * H, o.bbox[2] * W, o.bbox[3] * H];
    const colourOf = (o) => (o.class === 'face' ? '#2bd576' : '#ffb020');
    let nFaces = 0;
    let nBodies = 0;
    for (const o of ordered) {
      const [x1, y1, x2, y2] = boxOf(o);
      const isFace = o.class === 'face';
      if (isFace) nFaces++; else nBodies++;
      ctx.lineWidth = (isFace ? 2 : 1.5) * unit;
      ctx.strokeStyle = colourOf(o);
      ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
      if (!isFace) continue;
      const points = keypoints(o, photo, W, H);
      const r = Math.max(1, Math.min(1.6 * unit, (x2 - x1) / 45));
      ctx.fillStyle = '#00e5ff';
      for (const p of points) {
        ctx.beginPath();
        ctx.arc(p[0], p[1], r, 0, Math.PI * 2);
        ctx.fill();
      }
      const pose = o.pose || o.angles;
      if (pose) {
        const nose = points.length >= 15 ? points[14] : [(x1 + x2) / 2, (y1 + y2) / 2];
        axes(ctx, pose, nose, (x2 - x1) * 0.5, Math.min(unit, Math.max(0.6, (x2 - x1) / 60)));
      }
    }
    // Labels last, over every box: the id and confidence always; the attribute lines only where they do not cover
    // another label (a crowded photo keeps its details in the face cards below).
    const placed = [];
    for (const o of ordered) {
      const [x1, y1] = boxOf(o);
      const head = `${o.class} ${o.id ?? ''}` + (o.confidence != null ? ` · ${o.confidence.toFixed(2)}` : '');
      placed.push(label(ctx, head, x1, y1, colourOf(o), unit, 'above', null));
    }
    // 1:N search: the top match under the face, always drawn; the next ones where they fit.
    const below = new Map();
    for (const o of ordered.filter((f) => f.class === 'face' && Array.isArray(f.matches))) {
      const [x1, , , y2] = boxOf(o);
      let y = y2;
      const lines = o.matches.length ? o.matches.map(matchLine) : ['no match above the threshold'];
      for (const [i, line] of lines.entries()) {
        const rect = label(ctx, line, x1, y, o.matches.length ? '#ffd400' : '#ff8a80', unit, 'below', i === 0 ? null : placed);
        if (!rect) break;
        placed.push(rect);
        y = rect[1] + rect[3];
      }
      below.set(o, y);
    }
    for (const o of ordered.filter((f) => f.class === 'face')) {
      const [x1, , , y2] = boxOf(o);
      let y = below.get(o) ?? y2;
      for (const line of faceLines(o)) {
        const rect = label(ctx, line, x1, y, colourOf(o), unit, 'below', placed);
        if (!rect) break;
        placed.push(rect);
        y = rect[1] + rect[3];
      }
    }
    canvas.dataset.faces = String(nFaces);
    canvas.dataset.bodies = String(nBodies);
    // The person drawn as each face's top match, in the answer's order (null: none passed the threshold).
    const searched = faces(answer).filter((f) => Array.isArray(f.matches));
    if (searched.length) canvas.dataset.topMatches = JSON.stringify(searched.map((f) => (f.matches[0] ? f.matches[0].person_id : null)));
    else delete canvas.dataset.topMatches;
    canvas.setAttribute('aria-label', `${photo.name}: ${nFaces} face${nFaces === 1 ? '' : 's'} and ${nBodies} bod${nBodies === 1 ? 'y' : 'ies'} drawn`);
  }

  function matchLine(m, i) {
    return `${i + 1}. ${m.person_id} · score ${num(m.score, 3)} · FAR ${sci(m.fa_r)}`;
  }

  function keypoints(o, photo, W, H) {
    if (o.keypoints && typeof o.keypoints === 'object') {
      // v2: named points, each {"proj": [x, y]} in [0, 1]
      return Object.values(o.keypoints).filter((k) => k && Array.isArray(k.proj)).map((k) => [k.proj[0] * W, k.proj[1] * H]);
    }
    if (o.fitter && Array.isArray(o.fitter.keypoints)) {
      // v1: flat x, y, z triplets in pixels of the original photo
      const sx = W / (photo.img.naturalWidth || W);
      const sy = H / (photo.img.naturalHeight || H);
      const out = [];
      for (let i = 0; i + 1 < o.fitter.keypoints.length; i += 3) out.push([o.fitter.keypoints[i] * sx, o.fitter.keypoints[i + 1] * sy]);
      return out;
    }
    return [];
  }

  function axes(ctx, pose, [cx, cy], size, unit) {
    // Head-pose axes in degrees: red = the head's left-right axis, green = down, blue = where the face points.
    // Positive yaw turns the blue axis towards the image's right, positive pitch raises it.
    const r = Math.PI / 180;
    const yaw = (pose.yaw || 0) * r;
    const pitch = (pose.pitch || 0) * r;
    const roll = (pose.roll || 0) * r;
    const lines = [
      ['#ff4040', Math.cos(yaw) * Math.cos(roll), Math.cos(pitch) * Math.sin(roll) + Math.cos(roll) * Math.sin(pitch) * Math.sin(yaw)],
      ['#40ff40', -Math.cos(yaw) * Math.sin(roll), Math.cos(pitch) * Math.cos(roll) - Math.sin(pitch) * Math.sin(yaw) * Math.sin(roll)],
      ['#4aa3ff', Math.sin(yaw), -Math.cos(yaw) * Math.sin(pitch)],
    ];
    ctx.lineWidth = 2 * unit;
    for (const [colour, dx, dy] of lines) {
      ctx.strokeStyle = colour;
      ctx.beginPath();
      ctx.moveTo(cx, cy);
      ctx.lineTo(cx + dx * size, cy + dy * size);
      ctx.stroke();
    }
  }

  function label(ctx, text, x, y, colour, unit, where, avoid) {
    const size = Math.round(7 * unit);
    ctx.font = `600 ${size}px system-ui, sans-serif`;
    const w = ctx.measureText(text).width + size * 0.6;
    const h = size * 1.35;
    const top = where === 'above' ? Math.max(0, y - h) : Math.min(y, ctx.canvas.height - h);
    const left = Math.min(Math.max(0, x), Math.max(0, ctx.canvas.width - w));
    const rect = [left, top, w, h];
    if (avoid && avoid.some((r) => r[0] < left + w && left < r[0] + r[2] && r[1] < top + h && top < r[1] + r[3])) return null;
    ctx.fillStyle = 'rgba(0,0,0,.72)';
    ctx.fillRect(left, top, w, h);
    ctx.fillStyle = colour;
    ctx.fillText(text, left + size * 0.3, top + size * 1.02);
    return rect;
  }

  function faceLines(o) {
    const parts = [];
    if (o.age != null) parts.push(`age ${o.age}`);
    const g = gender(o);
    if (g) parts.push(g);
    const e = topEmotion(o);
    if (e) parts.push(`${e.emotion.toLowerCase()} ${(e.confidence * 100).toFixed(0)}%`);
    const lines = [];
    if (parts.length) lines.push(parts.join(' · '));
    const more = [];
    const m = mask(o);
    if (m) more.push(m.value ? 'mask' : 'no mask');
    if (o.liveness) more.push(`${String(o.liveness.value).toLowerCase()} ${(o.liveness.confidence * 100).toFixed(0)}%`);
    const q = qualityEntries(o);
    const total = q.find(([k]) => k === 'total_score' || k === 'totalScore');
    if (total) more.push(`quality ${Number(total[1]).toFixed(2)}`);
    if (more.length) lines.push(more.join(' · '));
    return lines;
  }

  function gender(o) {
    if (o.gender == null) return null;
    return typeof o.gender === 'object' ? String(o.gender.value).toLowerCase() : String(o.gender).toLowerCase();
  }

  function mask(o) {
    return o.has_medical_mask || o.mask || null;
  }

  function topEmotion(o) {
    if (!Array.isArray(o.emotions) || o.emotions.length === 0) return null;
    return o.emotions.reduce((a, b) => (b.confidence > a.confidence ? b : a));
  }

  function qualityEntries(o) {
    if (!o.quality) return [];
    const q = o.quality.qaa || o.quality; // v1 nests the checks under "qaa"
    return Object.entries(q);
  }

  // ---------- panels ----------

  function renderFaces(answers, d) {
    const host = $('faces');
    host.innerHTML = '';
    for (const slot of ['a', 'b']) {
      if (!answers[slot]) continue;
      faces(answers[slot]).forEach((o) => host.append(faceCard(o, photos[slot].name, d)));
    }
  }

  function faceCard(o, photoName, d) {
    const card = document.createElement('article');
    card.className = 'face';
    const rows = [['confidence', o.confidence != null ? o.confidence.toFixed(3) : '–']];
    if (o.age != null) rows.push(['age', String(o.age)]);
    const g = gender(o);
    if (g) rows.push(['gender', g]);
    const m = mask(o);
    if (m) rows.push([d === 'v1' ? 'mask' : 'medical mask', `${m.value ? 'yes' : 'no'} (confidence ${Number(m.confidence).toFixed(3)})`]);
    if (o.liveness) rows.push(['liveness', `${String(o.liveness.value).toLowerCase()} (confidence ${Number(o.liveness.confidence).toFixed(3)})`]);
    const pose = o.pose || o.angles;
    if (pose) rows.push(['head pose', `yaw ${num(pose.yaw, 1)}°, pitch ${num(pose.pitch, 1)}°, roll ${num(pose.roll, 1)}°`]);
    if (o.template || o.$template) rows.push(['template', 'extracted']);
    let html = `<h3>Face ${escapeHtml(String(o.id ?? ''))} <span class="muted small">in ${escapeHtml(photoName)}</span></h3><dl>` +
      rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('') + '</dl>';
    if (Array.isArray(o.emotions) && o.emotions.length) {
      const top = topEmotion(o);
      html += `<h4>Emotion: ${escapeHtml(top.emotion.toLowerCase())}</h4><ul class="bars">` + o.emotions.map((e) =>
        `<li><span class="name">${escapeHtml(e.emotion.toLowerCase())}</span>` +
        `<span class="track" role="meter" aria-label="${escapeHtml(e.emotion.toLowerCase())}" aria-valuemin="0" aria-valuemax="1" aria-valuenow="${e.confidence}">` +
        `<span class="fill" style="width:${(e.confidence * 100).toFixed(1)}%; display:block"></span></span>` +
        `<span class="num">${(e.confidence * 100).toFixed(1)}%</span></li>`).join('') + '</ul>';
    }
    const q = qualityEntries(o);
    if (q.length) {
      const checks = q.filter(([, v]) => typeof v === 'boolean');
      const passed = checks.filter(([k, v]) => passes(k, v)).length;
      html += `<h4>Quality: ${q.length} fields, ${passed} of ${checks.length} checks pass</h4>` +
        '<table class="quality"><thead><tr><th scope="col">field</th><th scope="col">value</th></tr></thead><tbody>' +
        q.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td class="v">${qualityValue(k, v)}</td></tr>`).join('') +
        '</tbody></table>';
    }
    card.innerHTML = html;
    return card;
  }

  function passes(key, value) {
    // "has_watermark" is the one check whose true is the bad outcome.
    return /watermark/i.test(key) ? !value : value;
  }

  function qualityValue(key, value) {
    if (typeof value === 'boolean') {
      const ok = passes(key, value);
      return `<span class="${ok ? 'pass' : 'fail'}">${ok ? '✓ pass' : '✗ fail'}</span> <span class="muted">(${value})</span>`;
    }
    return escapeHtml(typeof value === 'number' ? String(Math.round(value * 10000) / 10000) : JSON.stringify(value));
  }

  function renderTimings(timings) {
    const host = $('timings');
    if (!timings) { host.hidden = true; return; }
    const stages = Object.entries(timings).filter(([k]) => k !== 'total');
    const max = Math.max(1, ...stages.map(([, v]) => v));
    host.innerHTML = `<h3>Server time per stage, first photo (total ${num(timings.total, 0)} ms)</h3><ul class="bars">` +
      stages.map(([k, v]) => `<li><span class="name" title="${escapeHtml(k)}">${escapeHtml(k)}</span>` +
        `<span class="track" role="meter" aria-label="${escapeHtml(k)} milliseconds" aria-valuemin="0" aria-valuemax="${max}" aria-valuenow="${v}">` +
        `<span class="fill" style="width:${(100 * v / max).toFixed(1)}%; display:block"></span></span>` +
        `<span class="num">${num(v, 0)} ms</span></li>`).join('') + '</ul>';
    host.hidden = false;
  }

  function renderVerification(v) {
    const host = $('verification');
    if (!v) { host.hidden = true; return; }
    const same = v.fa_r <= FAR_TARGET;
    host.className = 'verification ' + (same ? 'same' : 'diff');
    host.innerHTML = `<h3>${same ? 'Same person' : 'Different people'}</h3>
      <p class="small">Verdict at false accept rate ≤ ${FAR_TARGET}: a pair is accepted when, at its own score, no more than
        1 in ${Math.round(1 / FAR_TARGET)} pairs of different people would be accepted too.</p>
      <dl>
        <dt>score</dt><dd>${num(v.score, 4)} — a calibrated similarity: about 0 for strangers, 0.9 or more for a typical
          pair of photos of one person; 0.5 or more means a false accept rate of at most 1 in 1000.</dd>
        <dt>FAR (fa_r)</dt><dd>${sci(v.fa_r)} — the share of different-person pairs that would be accepted if the threshold
          were this pair's score. The lower, the stronger the evidence for one person.</dd>
        <dt>FRR (fr_r)</dt><dd>${sci(v.fr_r)} — the share of same-person pairs that would be rejected at that threshold.</dd>
        ${v.distance != null ? `<dt>distance</dt><dd>${num(v.distance, 4)} — the matcher's raw distance between the templates.</dd>` : ''}
      </dl>`;
    host.hidden = false;
    host.dataset.score = String(v.score);
  }

  function renderMatches(answer, gallery) {
    const host = $('identification');
    const list = faces(answer);
    host.innerHTML = `<h3>Top matches in gallery ${escapeHtml(gallery)}</h3>
      <p class="small muted">Up to 5 enrolled persons per face that pass the gallery's threshold, best first (a person's
        best template counts). <code>score</code> and <code>fa_r</code> are the matcher's numbers for that pair; a search
        makes one comparison per person, so the chance that some stranger passes grows with the gallery.</p>` +
      (list.length ? '' : '<p>No face was found in this photo.</p>');
    const grid = document.createElement('div');
    grid.className = 'faces';
    for (const o of list) {
      const m = Array.isArray(o.matches) ? o.matches : [];
      const card = document.createElement('article');
      card.className = 'face-match';
      card.dataset.face = String(o.id ?? '');
      card.innerHTML = `<h3>Face ${escapeHtml(String(o.id ?? ''))}</h3>` + (m.length
        ? '<table class="matches"><thead><tr><th scope="col">rank</th><th scope="col">person_id</th><th scope="col">score</th><th scope="col">fa_r</th></tr></thead><tbody>' +
          m.map((x, i) => `<tr data-person="${escapeHtml(x.person_id)}" data-score="${x.score}" data-far="${x.fa_r}">` +
            `<td>${i + 1}</td><th scope="row">${escapeHtml(x.person_id)}</th><td class="v">${num(x.score, 4)}</td><td class="v">${sci(x.fa_r)}</td></tr>`).join('') +
          '</tbody></table>'
        : '<p class="no-match">No enrolled person passes the threshold.</p>');
      grid.append(card);
    }
    host.append(grid);
    host.hidden = false;
  }

  // ---------- gallery (1:N identification, docs/identification.md) ----------

  function jsonRequest(path, value) {
    return { method: 'POST', path, query: '', body: JSON.stringify(value), photo: null };
  }

  function photoRequest(path, query, photo, d) {
    const body = imageBody(photo, d);
    return { method: 'POST', path, query, body: body.text, photo, head: body.head, tail: body.tail };
  }

  function thresholdText(g) {
    return g.score != null ? `score ≥ ${g.score}` : g.far != null ? `FAR ≤ ${sci(g.far)}` : 'the host default';
  }

  async function listGalleries(keep, title) {
    const req = { method: 'GET', path: '/galleries', query: '', body: null, photo: null };
    const res = title ? await send(req, title) : await call(req);
    if (!res.ok) {
      // A single-service host of the distributed mode has no galleries: no section rather than a broken one.
      if (res.status === 404 && !(res.json && res.json.detail)) $('gallery-box').hidden = true;
      return res;
    }
    const select = $('gallery');
    const wanted = keep || select.value;
    const list = res.json.galleries || [];
    select.innerHTML = '';
    if (!list.length) select.append(new Option('(none yet: create one below)', ''));
    for (const g of list) {
      select.append(new Option(`${g.id} — ${g.persons} person${g.persons === 1 ? '' : 's'}, ` +
        `${g.templates} template${g.templates === 1 ? '' : 's'}, ${thresholdText(g)}`, g.id));
    }
    select.value = list.some((g) => g.id === wanted) ? wanted : (list.length ? list[0].id : '');
    return res;
  }

  function chosenGallery() {
    const gallery = $('gallery').value;
    if (!gallery) {
      showError('Choose a gallery, or create one first.');
      $('gallery-new').focus();
    }
    return gallery;
  }

  function needPhoto() {
    if (photos.a) return true;
    showError('Choose a photo first.');
    $('file-a').focus();
    return false;
  }

  function startAction() {
    // Synchronous, before any request: the results section reads "busy" as soon as the button was pressed.
    resetResults();
    setBusy(true);
  }

  function busy() {
    // Enter in a text field bypasses the disabled buttons: one request sequence at a time.
    return $('results').getAttribute('aria-busy') === 'true';
  }

  async function refreshGalleries() {
    if (busy()) return;
    startAction();
    try {
      const res = await listGalleries(null, 'List the galleries');
      if (!res.ok) return fail(res, '/galleries');
      setStatus(`${res.json.galleries.length} galler${res.json.galleries.length === 1 ? 'y' : 'ies'} on this host.`);
      $('results').dataset.state = 'done';
    } finally {
      setBusy(false);
    }
  }

  async function createGallery() {
    if (busy()) return;
    const id = $('gallery-new').value.trim();
    if (!id) {
      showError('Type an id for the new gallery.');
      $('gallery-new').focus();
      return;
    }
    startAction();
    try {
      const res = await send(jsonRequest('/galleries', { id }), `Create gallery ${id}`);
      if (!res.ok) return fail(res, '/galleries');
      await listGalleries(res.json.id, null);
      $('gallery-new').value = '';
      setStatus(`Gallery ${res.json.id} created; its default threshold: ${thresholdText(res.json)}.`);
      $('results').dataset.state = 'done';
    } finally {
      setBusy(false);
    }
  }

  async function enrol() {
    if (busy()) return;
    const gallery = chosenGallery();
    if (!gallery || !needPhoto()) return;
    const person = $('person-id').value.trim();
    if (!person) {
      showError('Type the person id to enrol the face as.');
      $('person-id').focus();
      return;
    }
    const name = $('person-name').value.trim();
    const d = dialect();
    const photo = photos.a;
    startAction();
    try {
      setStatus(`Adding ${person} to ${gallery}…`);
      const base = `/galleries/${encodeURIComponent(gallery)}/persons`;
      const add = await send(jsonRequest(base, name ? { id: person, metadata: { name } } : { id: person }), `Add person ${person} to ${gallery}`);
      // A person who exists already (409) gets this face as one more template: that is how a person gains photos.
      if (!add.ok && add.status !== 409) return fail(add, base);
      setStatus(`Enrolling the largest face of ${photo.name}…`);
      const req = photoRequest(`${base}/${encodeURIComponent(person)}/templates`, '', photo, d);
      const res = await send(req, `${photo.name}: enrol the largest face as ${person}`);
      if (!res.ok) return fail(res, req.path);
      const enrolled = (res.json.enrolled || []).filter((e) => Array.isArray(e.bbox));
      draw('a', { objects: enrolled.map((e) => ({ class: 'face', id: person, bbox: e.bbox })) }, d);
      await listGalleries(gallery, null);
      setStatus(`Enrolled the largest face of ${photo.name} as ${person} in ${gallery}` +
        ` (${res.json.templates} template${res.json.templates === 1 ? '' : 's'} for this person${add.status === 409 ? ', who existed already' : ''}).`);
      $('results').dataset.state = 'done';
    } finally {
      setBusy(false);
    }
  }

  async function search() {
    if (busy()) return;
    const gallery = chosenGallery();
    if (!gallery || !needPhoto()) return;
    const d = dialect();
    const photo = photos.a;
    startAction();
    try {
      setStatus(`Searching the faces of ${photo.name} in ${gallery}…`);
      const req = photoRequest('/face-identifier/process/sample', `gallery=${encodeURIComponent(gallery)}&echo_image=false`, photo, d);
      const res = await send(req, `${photo.name}: face-identifier in ${gallery}`);
      if (!res.ok) return fail(res, req.path);
      draw('a', res.json, d);
      renderMatches(res.json, gallery);
      const list = faces(res.json);
      const matched = list.filter((f) => Array.isArray(f.matches) && f.matches.length).length;
      setStatus(`Done: ${list.length} face${list.length === 1 ? '' : 's'}, ${matched} with a match in ${gallery}.`);
      $('results').dataset.state = 'done';
    } finally {
      setBusy(false);
    }
  }

  // ---------- small things ----------

  function resetResults() {
    $('error').hidden = true;
    $('error').textContent = '';
    $('requests').innerHTML = '';
    $('faces').innerHTML = '';
    $('timings').hidden = true;
    $('verification').hidden = true;
    $('identification').hidden = true;
    $('identification').innerHTML = '';
    $('results').dataset.state = 'busy';
    for (const slot of ['a', 'b']) showPhoto(slot);
  }

  function setBusy(busy) {
    for (const id of ['run', 'run-full', 'gallery-refresh', 'gallery-create', 'gallery-enrol', 'gallery-search']) $(id).disabled = busy;
    $('results').setAttribute('aria-busy', String(busy));
  }

  function setStatus(text) {
    $('status').textContent = text;
  }

  function showError(text) {
    const box = $('error');
    box.textContent = text;
    box.hidden = false;
  }

  function num(v, digits) {
    return typeof v === 'number' ? v.toFixed(digits) : '–';
  }

  function sci(v) {
    if (typeof v !== 'number') return '–';
    return v !== 0 && Math.abs(v) < 0.001 ? v.toExponential(2) : String(Math.round(v * 100000) / 100000);
  }

  function formatBytes(n) {
    return n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }

  buildServiceList();
  wireDrop('a');
  wireDrop('b');
  $('run').addEventListener('click', () => run(false));
  $('run-full').addEventListener('click', () => run(true));
  $('gallery-refresh').addEventListener('click', refreshGalleries);
  $('gallery-create').addEventListener('click', createGallery);
  $('gallery-enrol').addEventListener('click', enrol);
  $('gallery-search').addEventListener('click', search);
  // Enter in a text field presses the button it belongs to.
  $('gallery-new').addEventListener('keydown', (e) => { if (e.key === 'Enter') createGallery(); });
  for (const id of ['person-id', 'person-name']) $(id).addEventListener('keydown', (e) => { if (e.key === 'Enter') enrol(); });
  listGalleries(null, null);
  $('clear-b').addEventListener('click', () => {
    if (photos.b) URL.revokeObjectURL(photos.b.url);
    photos.b = null;
    $('file-b').value = '';
    $('name-b').textContent = 'No photo chosen';
    $('clear-b').hidden = true;
    showPhoto('b');
    $('file-b').focus();
  });
})();
