// replog dashboard: plain JS, no build. Polls the master's GET /health, follows GET /messages/stream,
// sends writes with POST /messages and switches a faulty-secondary's faults through the master's
// /cluster/nodes/{name}/faults (the browser cannot reach the secondaries themselves).
'use strict';

const POLL_MS = 500;
const FAULTS_REFRESH_MS = 2000;
const TAIL_KEEP = 200;

const $ = (selector) => document.querySelector(selector);

/** Creates an element with a class and text (never HTML: messages are shown as typed). */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// ---- cluster ------------------------------------------------------------------------------

let clusterSize = 0;
let tailStarted = false;

async function pollHealth() {
  try {
    const response = await fetch('/health', { cache: 'no-store' });
    if (!response.ok) throw new Error('GET /health answered ' + response.status);
    const health = await response.json();
    renderHealth(health);
    $('#connection').textContent = 'updated ' + new Date().toLocaleTimeString();
    if (!tailStarted) {
      tailStarted = true;
      startTail(Math.max(1, health.lastSeq - 49));
    }
    discoverFaults(health.nodes);
  } catch (error) {
    $('#connection').textContent = 'master unreachable: ' + error.message;
  } finally {
    setTimeout(pollHealth, POLL_MS);
  }
}

function renderHealth(health) {
  const mode = $('#mode');
  mode.textContent = health.mode;
  mode.className = 'badge ' + health.mode;
  // only while RECOVERING: what the recovery still waits for (which secondaries, how many)
  const recovering = $('#recovering');
  recovering.textContent = health.recovering ?? '';
  recovering.hidden = !health.recovering;
  // failover: which instance this is, which one leads, and the last takeover this instance made
  $('#role').textContent = health.role ?? '';
  const active = $('#active-master');
  active.hidden = !health.activeMaster || health.role === 'ACTIVE';
  active.textContent = health.activeMaster ? 'active master ' + health.activeMaster.url : '';
  const takeover = $('#last-takeover');
  takeover.hidden = !health.lastTakeover;
  if (health.lastTakeover) {
    const t = health.lastTakeover;
    takeover.textContent = 'took over ' + new Date(t.leaseTakenAt).toLocaleTimeString()
      + (t.from ? ' from ' + t.from : '') + (t.tookMillis != null ? ' in ' + t.tookMillis + ' ms' : '');
  }
  $('#epoch').textContent = health.epoch;
  $('#last-seq').textContent = health.lastSeq;
  $('#nodes-up').textContent = health.nodesUp;
  $('#quorum').textContent = health.quorum;

  const body = $('#nodes tbody');
  body.replaceChildren(...health.nodes.map((node) => {
    const row = el('tr');
    row.dataset.node = node.name;
    row.dataset.status = node.status;
    row.append(el('td', 'name', node.name), el('td', 'muted', node.role));
    const status = el('td');
    status.append(el('span', 'badge ' + node.status, node.status));
    row.append(status,
      el('td', 'num acked', node.ackedSeq),
      el('td', 'num lag', node.lag),
      el('td', 'num', node.epoch ?? '–'),
      el('td', 'muted', node.lastHeartbeat ? new Date(node.lastHeartbeat).toLocaleTimeString() : 'never'));
    return row;
  }));

  if (health.nodes.length !== clusterSize) {
    clusterSize = health.nodes.length;
    renderWriteConcerns(clusterSize);
  }
}

function renderWriteConcerns(n) {
  const select = $('#w');
  const chosen = select.value;
  const options = [];
  for (let w = 1; w <= n; w++) options.push(String(w));
  options.push('majority', 'all');
  select.replaceChildren(...options.map((w) => {
    const option = el('option', null, w);
    option.value = w;
    return option;
  }));
  select.value = options.includes(chosen) ? chosen : '1';
}

// ---- writes -------------------------------------------------------------------------------

function onSubmit(event) {
  event.preventDefault();
  const message = $('#message').value;
  const w = $('#w').value;
  const timeout = $('#timeout').value.trim();
  const body = { message, w: /^\d+$/.test(w) ? Number(w) : w };
  if (timeout) body.timeoutMs = Number(timeout);
  send(body);
  $('#message').value = '';
  $('#message').focus();
}

/** One pending write: shown waiting (with its age) until the master answers, then its result. */
async function send(body) {
  const item = el('li', 'write');
  item.dataset.state = 'pending';
  const state = el('span', 'badge pending', 'waiting');
  const what = el('span', 'what', `"${body.message}" w=${body.w}` + (body.timeoutMs ? ` timeoutMs=${body.timeoutMs}` : ''));
  const result = el('span', 'result muted', '0.0 s');
  item.append(state, what, result);
  $('#writes').prepend(item);

  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1) + ' s';
  const ticker = setInterval(() => { result.textContent = seconds(); }, 100);
  try {
    const response = await fetch('/messages', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (response.ok) {
      finish(item, state, 'done', response.status === 200 ? 'replayed' : 'done');
      result.textContent = `seq ${answer.seq} · id ${answer.id} · acks ${answer.acks} · ${seconds()}`;
    } else {
      finish(item, state, 'failed', `${response.status} ${answer.title ?? ''}`.trim());
      const extra = answer.seq !== undefined ? ` (seq ${answer.seq}, acks ${answer.acks})` : '';
      result.textContent = `${answer.detail ?? response.statusText}${extra} · ${seconds()}`;
    }
  } catch (error) {
    finish(item, state, 'failed', 'no answer');
    result.textContent = error.message;
  } finally {
    clearInterval(ticker);
  }
}

function finish(item, state, outcome, label) {
  item.dataset.state = outcome;
  state.className = 'badge ' + outcome;
  state.textContent = label;
}

// ---- live tail ----------------------------------------------------------------------------

function startTail(from) {
  // EventSource reconnects by itself and resumes after Last-Event-ID: no gap, no duplicate.
  const source = new EventSource('/messages/stream?from=' + from);
  // the node answers the stream's headers and a keep-alive comment at once, even with nothing new
  source.onopen = () => tailState('live', 'done');
  source.onerror = () => tailState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting',
    source.readyState === EventSource.CLOSED ? 'failed' : 'pending');
  source.addEventListener('entry', (event) => {
    const entry = JSON.parse(event.data);
    const item = el('li');
    item.dataset.seq = entry.seq;
    item.append(el('span', 'seq', '#' + entry.seq), el('span', 'id', 'id ' + entry.id), el('span', 'msg', entry.message));
    const tail = $('#tail');
    tail.prepend(item);
    while (tail.children.length > TAIL_KEEP) tail.lastElementChild.remove();
  });
}

function tailState(state, style) {
  const badge = $('#tail-state');
  badge.dataset.state = state;
  badge.className = 'badge ' + style;
  badge.textContent = state;
}

// ---- faults -------------------------------------------------------------------------------

const faultNodes = new Map(); // name -> {panel, inputs} for nodes with switches
const plainNodes = new Set(); // nodes that answered 404: no switches
const probing = new Set();

const SWITCHES = [
  { field: 'down', label: 'down', type: 'checkbox', title: 'answer 503 to replication and heartbeats' },
  { field: 'errorBeforeAppend', label: 'error before', type: 'number', step: '0.1', min: 0, max: 1,
    title: 'probability that an append is answered 500 without being stored' },
  { field: 'errorAfterAppend', label: 'error after', type: 'number', step: '0.1', min: 0, max: 1,
    title: 'probability that an append is stored, then answered 500 (the retry is deduplicated)' },
  { field: 'delayMs', label: 'delay ms', type: 'number', step: '100', min: 0, max: 60000 },
  { field: 'delayJitterMs', label: 'jitter ms', type: 'number', step: '100', min: 0, max: 60000 },
];

function faultsUrl(name) {
  return '/cluster/nodes/' + encodeURIComponent(name) + '/faults';
}

function discoverFaults(nodes) {
  for (const node of nodes) {
    if (node.role !== 'secondary' || faultNodes.has(node.name) || plainNodes.has(node.name) || probing.has(node.name)) {
      continue;
    }
    probing.add(node.name);
    fetch(faultsUrl(node.name), { cache: 'no-store' })
      .then(async (response) => {
        if (response.ok) {
          addFaultPanel(node.name, await response.json());
        } else if (response.status === 404) {
          plainNodes.add(node.name);
        } // else unreachable now: asked again on a later poll
      })
      .catch(() => {})
      .finally(() => probing.delete(node.name));
  }
}

function addFaultPanel(name, settings) {
  const container = $('#faults');
  if (faultNodes.size === 0) container.replaceChildren();
  const panel = el('div', 'node-faults');
  panel.dataset.node = name;
  const title = el('h3', null, name);
  const reset = el('button', 'reset', 'all off');
  reset.type = 'button';
  reset.id = `fault-${name}-reset`;
  title.append(reset);
  const error = el('div', 'error');
  const row = el('div', 'switches');
  const inputs = {};
  for (const spec of SWITCHES) {
    const label = el('label', spec.type === 'checkbox' ? 'toggle' : null);
    if (spec.title) label.title = spec.title;
    const input = el('input');
    input.type = spec.type;
    input.id = `fault-${name}-${spec.field}`;
    input.dataset.field = spec.field;
    if (spec.type === 'number') Object.assign(input, { step: spec.step, min: spec.min, max: spec.max });
    input.addEventListener('change', () => change(name, { [spec.field]: read(input) }));
    inputs[spec.field] = input;
    if (spec.type === 'checkbox') label.append(input, document.createTextNode(spec.label));
    else label.append(document.createTextNode(spec.label), input);
    row.append(label);
  }
  reset.addEventListener('click', () => change(name, Object.fromEntries(SWITCHES.map((s) => [s.field, s.type === 'checkbox' ? false : 0]))));
  panel.append(title, row, error);
  container.append(panel);
  faultNodes.set(name, { panel, inputs, error });
  show(name, settings);
}

function read(input) {
  return input.type === 'checkbox' ? input.checked : Number(input.value);
}

function show(name, settings) {
  const { panel, inputs } = faultNodes.get(name);
  for (const [field, input] of Object.entries(inputs)) {
    if (document.activeElement === input && input.type !== 'checkbox') continue; // do not fight the user
    if (input.type === 'checkbox') input.checked = Boolean(settings[field]);
    else input.value = settings[field];
  }
  panel.dataset.down = String(Boolean(settings.down));
}

async function change(name, update) {
  const { error } = faultNodes.get(name);
  try {
    const response = await fetch(faultsUrl(name), {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(update),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.detail ?? response.statusText);
    error.textContent = '';
    show(name, answer);
  } catch (failure) {
    error.textContent = failure.message;
    refreshFaults(name);
  }
}

async function refreshFaults(name) {
  try {
    const response = await fetch(faultsUrl(name), { cache: 'no-store' });
    if (response.ok) show(name, await response.json());
  } catch (ignored) {
    // the next refresh tries again
  }
}

setInterval(() => faultNodes.forEach((_, name) => refreshFaults(name)), FAULTS_REFRESH_MS);

document.addEventListener('DOMContentLoaded', () => {
  renderWriteConcerns(1);
  $('#write-form').addEventListener('submit', onSubmit);
  pollHealth();
});
