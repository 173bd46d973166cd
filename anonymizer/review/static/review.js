// The review page: a thin view over the server's state and the edits format (remove, retype, add).
// Everything it needs ships in the package; it talks only to the server that served it.
import WaveSurfer from './wavesurfer/wavesurfer.esm.js';
import RegionsPlugin from './wavesurfer/regions.esm.js';
import TimelinePlugin from './wavesurfer/timeline.esm.js';

const base = location.pathname.endsWith('/') ? location.pathname : location.pathname + '/';
const $ = (id) => document.getElementById(id);
let state = null;
let edits = { remove: [], retype: [], add: [] };
let dropped = new Set(); // indices of edits.add the user dropped since the last apply
let source = 'anonymized';
let picked = null; // {channel, index} of the first word of a selection
let ws = null;
let regions = null;

function colour(type, alpha) {
  const hex = (state.colours[type] || '#000075').replace('#', '');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

function normalize(e) {
  return { remove: [...(e.remove || [])], retype: [...(e.retype || [])], add: [...(e.add || [])] };
}

function audioUrl() {
  return `${base}audio/${source}?v=${state.audio_version}`;
}

function typeSelect(value, onChange) {
  const select = document.createElement('select');
  const types = state.types.includes(value) ? state.types : [value, ...state.types];
  for (const t of types) {
    const option = new Option(t, t, false, t === value);
    select.add(option);
  }
  select.addEventListener('change', () => onChange(select.value));
  return select;
}

function appliedAdds() {
  return (state.edits.add || []).length;
}

function outgoing() {
  return { ...edits, add: edits.add.filter((_, n) => !dropped.has(n)) };
}

function pendingCount() {
  return JSON.stringify(normalize(state.edits)) === JSON.stringify(outgoing()) ? 0 : 1;
}

function showStatus() {
  $('status').textContent = state.reviewed ? 'reviewed' : (state.verdict ? `verify: ${state.verdict}` : 'not reviewed');
  $('status').className = state.reviewed ? 'reviewed' : '';
  $('pending').textContent = pendingCount() ? 'changes not applied yet' : '';
}

function drawRegions() {
  if (!regions || !ws.getDecodedData()) return;
  regions.clearRegions();
  const split = state.input.channels > 1;
  for (const f of state.findings) {
    const removed = edits.remove.includes(f.id);
    const retype = edits.retype.find((r) => r.id === f.id);
    const type = retype ? retype.type : f.type;
    regions.addRegion({
      id: `f-${f.id}`, start: f.start_s, end: f.end_s, drag: false, resize: false,
      color: removed ? 'rgba(128, 128, 128, 0.15)' : colour(type, 0.35),
      channelIdx: split && f.channel !== null ? f.channel : -1,
      content: f.id,
    });
  }
  edits.add.forEach((a, n) => {
    if (a.start_s === undefined || n < appliedAdds() || dropped.has(n)) return;
    regions.addRegion({
      id: `new-${n}`, start: a.start_s, end: a.end_s, drag: false, resize: false, color: colour(a.type, 0.45),
      channelIdx: split && a.channel !== null && a.channel !== undefined ? a.channel : -1, content: '+',
    });
  });
  for (const v of state.verify) {
    regions.addRegion({ id: `v-${v.start_s}`, start: v.start_s, end: v.start_s, color: 'rgba(200, 100, 0, 0.9)',
      content: '!', drag: false, resize: false });
  }
}

function drawFindings() {
  const body = $('finding-table').tBodies[0];
  body.replaceChildren();
  const rows = [...state.findings];
  edits.add.forEach((a, n) => {
    if (n < appliedAdds() || dropped.has(n)) return; // applied ones are the server's a<n> rows
    rows.push({ id: `+${n}`, type: a.type, start_s: a.start_s, end_s: a.end_s, channel: a.channel ?? null,
      recognizer: a.words ? `words ${a.words[0]}-${a.words[1]}` : 'you', state: 'pending', pendingIndex: n });
  });
  for (const f of rows) {
    const tr = body.insertRow();
    tr.dataset.id = f.id;
    const addedIndex = f.state === 'added' ? Number(f.id.slice(1)) : null;
    const removed = edits.remove.includes(f.id) || (addedIndex !== null && dropped.has(addedIndex));
    tr.className = removed ? 'removed' : (f.state === 'pending' || f.state === 'added' ? 'added' : '');
    tr.insertCell().textContent = f.id;
    const typeCell = tr.insertCell();
    const retype = edits.retype.find((r) => r.id === f.id);
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = colour(retype ? retype.type : f.type, 1);
    typeCell.append(swatch);
    if (f.state === 'pending') {
      typeCell.append(typeSelect(f.type, (t) => { edits.add[f.pendingIndex].type = t; refresh(); }));
    } else if (f.state === 'added') {
      typeCell.append(f.type);
    } else {
      typeCell.append(typeSelect(retype ? retype.type : f.type, (t) => {
        edits.retype = edits.retype.filter((r) => r.id !== f.id);
        if (t !== (f.original_type || f.type)) edits.retype.push({ id: f.id, type: t });
        refresh();
      }));
    }
    tr.insertCell().textContent = f.start_s === undefined ? '' : `${f.start_s.toFixed(2)}–${f.end_s.toFixed(2)}`;
    tr.insertCell().textContent = f.channel === null || f.channel === undefined ? 'all' : `${f.channel + 1}`;
    const keepCell = tr.insertCell();
    if (f.state === 'pending' || f.state === 'added') {
      const drop = document.createElement('button');
      const index = f.state === 'pending' ? f.pendingIndex : addedIndex;
      drop.textContent = dropped.has(index) ? 'undo' : 'drop';
      drop.title = 'remove this added redaction';
      drop.addEventListener('click', () => {
        if (dropped.has(index)) dropped.delete(index); else dropped.add(index);
        refresh();
      });
      keepCell.append(drop);
    } else {
      const keep = document.createElement('input');
      keep.type = 'checkbox';
      keep.className = 'keep';
      keep.checked = removed;
      keep.title = 'a false alarm: keep this audible';
      keep.addEventListener('change', () => {
        edits.remove = edits.remove.filter((i) => i !== f.id);
        if (keep.checked) edits.remove.push(f.id);
        refresh();
      });
      keepCell.append(keep);
    }
    const playCell = tr.insertCell();
    if (f.start_s !== undefined) {
      const play = document.createElement('button');
      play.textContent = '▶';
      play.title = 'play around it (1 s either side)';
      play.addEventListener('click', () => ws.play(Math.max(0, f.start_s - 1), f.end_s + 1));
      playCell.append(play);
    }
    const found = tr.insertCell();
    found.className = 'found';
    found.textContent = found.title = f.recognizer;
  }
  const verify = $('verify');
  verify.replaceChildren();
  if (state.verify.length) {
    const title = document.createElement('h2');
    title.textContent = 'Verify asks you to listen';
    const list = document.createElement('ul');
    for (const v of state.verify) {
      const li = document.createElement('li');
      li.textContent = `${v.level} ${v.type || ''} ${v.start_s.toFixed(2)}–${v.end_s.toFixed(2)} s: ${v.reason}`;
      li.addEventListener('click', () => ws.play(Math.max(0, v.start_s - 1), v.end_s + 1));
      list.append(li);
    }
    verify.append(title, list);
  }
}

function drawTranscripts() {
  const box = $('transcripts');
  box.replaceChildren();
  for (const t of state.transcripts) {
    const column = document.createElement('div');
    column.className = 'channel';
    column.dataset.channel = t.channel === null ? '' : t.channel;
    const title = document.createElement('h2');
    title.textContent = t.label;
    column.append(title);
    t.words.forEach((w, i) => {
      const span = document.createElement('span');
      span.className = 'word' + (w.type ? ' redacted' : '') + (w.unsure ? ' unsure' : '');
      span.dataset.index = i;
      span.textContent = w.text;
      if (w.type) { span.style.background = colour(w.type, 0.85); span.title = w.type; }
      if (w.unsure) span.title = (span.title ? span.title + ', ' : '') + 'Whisper was unsure of this word';
      span.addEventListener('click', (event) => pickWord(t.channel, i, event.shiftKey, w));
      column.append(span, ' ');
    });
    box.append(column);
  }
}

function pickWord(channel, index, extend, word) {
  ws.setTime(word.start_s);
  document.querySelectorAll('.word.picked').forEach((el) => el.classList.remove('picked'));
  if (extend && picked && picked.channel === channel) {
    const [first, last] = [Math.min(picked.index, index), Math.max(picked.index, index)];
    edits.add.push({ channel, words: [first, last], type: $('add-type').value });
    picked = null;
    refresh();
    return;
  }
  picked = { channel, index };
  const column = [...document.querySelectorAll('.channel')].find((c) => c.dataset.channel === String(channel ?? ''));
  column?.querySelector(`.word[data-index="${index}"]`)?.classList.add('picked');
  message('shift-click the last word to redact the words between');
}

function message(text, error = false) {
  $('message').textContent = text;
  $('message').className = error ? 'error' : '';
}

function refresh() {
  drawFindings();
  drawRegions();
  showStatus();
}

function setupControls() {
  const channel = $('add-channel');
  channel.add(new Option('every channel', ''));
  for (let c = 0; c < state.input.channels && state.input.channels > 1; c++) channel.add(new Option(`channel ${c + 1}`, c));
  const type = $('add-type');
  for (const t of state.types) type.add(new Option(t, t, false, t === 'PERSON'));
  $('play').addEventListener('click', () => ws.playPause());
  document.querySelectorAll('input[name=source]').forEach((radio) => radio.addEventListener('change', () => {
    source = radio.value;
    document.body.classList.toggle('original', source === 'original');
    ws.load(audioUrl());
  }));
  $('apply').addEventListener('click', apply);
  $('close').addEventListener('click', async () => {
    await fetch(base + 'close', { method: 'POST' });
    message('review closed; you can close this tab');
  });
}

async function apply() {
  message('applying…');
  $('apply').disabled = true;
  try {
    const response = await fetch(base + 'apply', { method: 'POST', body: JSON.stringify(outgoing()),
      headers: { 'Content-Type': 'application/json' } });
    const body = await response.json();
    if (!response.ok) { message(body.error, true); return; }
    state = body;
    edits = normalize(state.edits);
    dropped = new Set();
    drawTranscripts();
    refresh();
    await ws.load(audioUrl());
    message('applied: the output, its report and transcripts were re-rendered');
    document.body.dataset.applied = String(state.audio_version);
  } finally {
    $('apply').disabled = false;
  }
}

async function main() {
  state = await (await fetch(base + 'data.json')).json();
  edits = normalize(state.edits);
  $('name').textContent = state.input.name;
  setupControls();
  regions = RegionsPlugin.create();
  const split = state.input.channels > 1
    ? Array.from({ length: state.input.channels }, (_, c) => ({ waveColor: c ? '#7a4a8a' : '#4a7a5a', progressColor: '#333' }))
    : undefined;
  ws = WaveSurfer.create({ container: '#waveform', url: audioUrl(), height: split ? 70 : 110, normalize: true,
    splitChannels: split, plugins: [regions, TimelinePlugin.create({ container: '#timeline' })] });
  ws.on('decode', () => { drawRegions(); document.body.dataset.ready = 'true'; });
  ws.on('timeupdate', (t) => { $('time').textContent = `${t.toFixed(2)} s`; });
  regions.enableDragSelection({ color: 'rgba(0, 160, 0, 0.3)' });
  regions.on('region-created', (region) => {
    if (region.id.startsWith('f-') || region.id.startsWith('new-') || region.id.startsWith('v-')) return;
    const channel = $('add-channel').value;
    edits.add.push({ start_s: Math.round(region.start * 1000) / 1000, end_s: Math.round(region.end * 1000) / 1000,
      type: $('add-type').value, ...(channel === '' ? {} : { channel: Number(channel) }) });
    refresh();
  });
  regions.on('region-clicked', (region, event) => {
    event.stopPropagation();
    document.querySelectorAll('#finding-table tr').forEach((tr) => tr.classList.remove('selected'));
    document.querySelector(`#finding-table tr[data-id="${region.id.slice(2)}"]`)?.classList.add('selected');
    region.play(true);
  });
  drawTranscripts();
  refresh();
}

main().catch((error) => message(String(error), true));
