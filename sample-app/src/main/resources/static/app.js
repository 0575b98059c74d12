'use strict';

// The sample's page: every action calls the REST API, then shows the users and the bucket as they are now. Its
// panel shows what the starter's actuator endpoint says: User's hooks, the effect backlog, dry-run sweeps.
// Failed requests show the problem's "detail" in #error.

const element = (id) => document.getElementById(id);

async function call(method, url, options = {}) {
  const response = await fetch(url, { method, ...options });
  if (!response.ok) {
    throw new Error(await problemDetail(response, `${method} ${url}`));
  }
  return response;
}

async function problemDetail(response, request) {
  const fallback = `${request} failed: ${response.status} ${response.statusText}`.trim();
  if (!(response.headers.get('Content-Type') || '').includes('json')) {
    return fallback;
  }
  try {
    const problem = await response.json();
    // Problem details carry a detail; the actuator endpoint's refusals, a message.
    return problem.detail || problem.message || problem.title || fallback;
  } catch {
    return fallback;
  }
}

function showError(error) {
  element('status').hidden = true;
  element('error').textContent = error.message;
  element('error').hidden = false;
}

function showStatus(text) {
  element('error').hidden = true;
  element('status').textContent = text;
  element('status').hidden = false;
}

// Runs a user action; whatever fails is shown on the page, never only in the console.
async function act(action) {
  try {
    await action();
  } catch (error) {
    showError(error);
  }
}

function avatarPath(key) {
  return '/avatars/' + key.split('/').map(encodeURIComponent).join('/');
}

// A user's avatarUrl is a key or s3://bucket/key.
function keyOfReference(reference) {
  if (!reference.startsWith('s3://')) {
    return reference;
  }
  const slash = reference.indexOf('/', 's3://'.length);
  return slash < 0 ? '' : reference.substring(slash + 1);
}

async function refreshUsers() {
  const users = await (await call('GET', '/users')).json();
  const list = element('users');
  list.replaceChildren(...users.map(userItem));
  element('users-empty').hidden = users.length > 0;
}

function userItem(user) {
  const item = document.createElement('li');
  item.className = 'user';
  item.id = `user-${user.id}`;

  const image = document.createElement('img');
  image.src = avatarPath(keyOfReference(user.avatarUrl));
  image.alt = `avatar of ${user.name}`;

  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = user.name;

  const key = document.createElement('span');
  key.className = 'avatar-key';
  key.textContent = user.avatarUrl;

  const remove = document.createElement('button');
  remove.type = 'button';
  remove.id = `delete-user-${user.id}`;
  remove.className = 'delete-user';
  remove.textContent = 'Delete';
  remove.addEventListener('click', () => act(() => deleteUser(user)));

  item.append(image, name, key, remove);
  return item;
}

async function refreshBucket() {
  const keys = await (await call('GET', '/avatars')).json();
  element('bucket-listing').replaceChildren(...keys.map((key) => {
    const item = document.createElement('li');
    item.className = 'bucket-key';
    item.dataset.key = key;
    item.textContent = key;
    return item;
  }));
  element('bucket-keys').replaceChildren(...keys.map((key) => new Option(key)));
  element('bucket-empty').hidden = keys.length > 0;
}

async function upload() {
  const file = element('avatar-file').files[0];
  const key = element('avatar-key').value.trim();
  const response = await call('PUT', avatarPath(key), {
    headers: { 'Content-Type': file.type || 'application/octet-stream' },
    body: file,
  });
  showStatus(response.status === 201 ? `Uploaded ${key}.` : `Replaced ${key}.`);
  element('user-avatar').value = key;
  await refreshBucket();
}

async function createUser() {
  const response = await call('POST', '/users', {
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: element('user-name').value, avatarUrl: element('user-avatar').value.trim() }),
  });
  const user = await response.json();
  showStatus(`Created user ${user.id}, ${user.name}.`);
  element('create-form').reset();
  await Promise.all([refreshUsers(), refreshBucket()]);
}

async function deleteUser(user) {
  await call('DELETE', `/users/${user.id}`);
  watchBacklogClosely();
  showStatus(`Deleted user ${user.id}, ${user.name}; its avatar leaves the bucket after the commit.`);
  await refreshUsers();
  // The starter deletes the avatar in the background after the commit: watch the bucket for a while.
  for (let i = 0; i < 8; i++) {
    await refreshBucket();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await refreshBucket();
}

element('avatar-file').addEventListener('change', () => {
  const file = element('avatar-file').files[0];
  if (file && !element('avatar-key').value) {
    element('avatar-key').value = file.name;
  }
});
element('upload-form').addEventListener('submit', (event) => {
  event.preventDefault();
  act(upload);
});
element('create-form').addEventListener('submit', (event) => {
  event.preventDefault();
  act(createUser);
});
element('refresh-button').addEventListener('click', () => act(() => Promise.all([refreshUsers(), refreshBucket()])));
element('sweep-button').addEventListener('click', () => act(sweep));

act(() => Promise.all([refreshUsers(), refreshBucket()]));

// The panel: what the starter's actuator endpoint, /actuator/mutationhooks, says about User, the effects and the
// sweeps of the avatars bucket.

const ENDPOINT = '/actuator/mutationhooks';
const STATUSES = ['PENDING', 'RUNNING', 'RETRYING', 'PARKED'];
const SLOW_POLL_MS = 1000;
const FAST_POLL_MS = 100;
// An avatar's delete usually runs within a few hundred milliseconds of the commit: after a delete on this page, the
// backlog is read ten times a second for this long, so that the panel sees it pass.
const FAST_POLL_FOR_MS = 3000;
const LOG_ENTRIES_KEPT = 50;

let fastPollUntil = 0;
let pollTimer = null;
let lastBacklog = null;

async function startPanel() {
  const endpoint = await (await call('GET', ENDPOINT)).json();
  showHookChain(Object.values(endpoint.entities).find((entity) => entity.name === 'User'));
  showBacklog(endpoint.effects);
  const lastReports = endpoint.sweeps && endpoint.sweeps.avatars ? endpoint.sweeps.avatars.lastReports : [];
  if (lastReports.length > 0) {
    showSweepReport(lastReports[0], `Last sweep: ${lastReports[0].mode}, ended ${timeOf(new Date(lastReports[0].endedAt))}.`);
  }
  schedulePoll();
}

function showHookChain(user) {
  const hooks = user ? user.hooks : [];
  element('hook-chain').replaceChildren(...hooks.map(hookItem));
  element('hook-chain-empty').textContent = user ? 'No hooks run around a write of User.' : 'User is not mapped.';
  element('hook-chain-empty').hidden = hooks.length > 0;
}

function hookItem(hook) {
  const item = document.createElement('li');
  item.className = 'hook';
  item.dataset.name = hook.name || '';

  const name = document.createElement('code');
  name.className = 'hook-name';
  name.textContent = hook.name || '(no bean)';

  const scope = document.createElement('span');
  scope.className = 'hook-scope';
  scope.textContent = hook.scope;
  if (hook.entityType) {
    scope.title = `scoped to ${hook.entityType}`;
  }

  const order = document.createElement('span');
  order.className = 'hook-order';
  order.textContent = orderOf(hook.order);

  const description = document.createElement('span');
  description.className = 'hook-description';
  description.textContent = hook.description;

  item.append(name, scope, order, description);
  return item;
}

function orderOf(order) {
  if (order === null || order === undefined) {
    return 'no order';
  }
  if (order === -2147483648) {
    return 'order: highest precedence';
  }
  if (order === 2147483647) {
    return 'order: lowest precedence';
  }
  return `order ${order}`;
}

// The endpoint leaves the effects out when durable effects are off.
function showBacklog(effects) {
  const counts = effects ? effects.byEffect : [];
  const totals = effects ? effects.totals : {};
  STATUSES.forEach((status) => {
    element(`backlog-${status.toLowerCase()}`).textContent = effects ? String(totals[status] || 0) : 'off';
  });

  const byName = new Map();
  counts.forEach((count) => {
    const name = count.effect || '(unreadable)';
    byName.set(name, { ...(byName.get(name) || {}), [count.status]: count.count });
  });
  element('backlog-effects').replaceChildren(...[...byName.keys()].sort().map((name) => {
    const row = document.createElement('tr');
    row.className = 'backlog-effect';
    row.dataset.effect = name;
    const cells = [name, ...STATUSES.map((status) => String(byName.get(name)[status] || 0))];
    row.append(...cells.map((text) => {
      const cell = document.createElement('td');
      cell.textContent = text;
      return cell;
    }));
    return row;
  }));

  const waiting = counts.filter((count) => count.status !== 'PARKED' && count.oldestAge);
  element('backlog-oldest').textContent = waiting.length === 0 ? '–'
    : `${Math.max(...waiting.map((count) => secondsOf(count.oldestAge))).toFixed(1)} s ago`;

  logBacklogChange(effects ? describeBacklog(counts) : 'durable effects are off');
}

// "mutation-hooks.s3-delete: 1 pending", or "empty".
function describeBacklog(counts) {
  if (counts.length === 0) {
    return 'empty';
  }
  return counts
    .map((count) => `${count.effect || '(unreadable)'}: ${count.count} ${count.status.toLowerCase()}`)
    .sort()
    .join(', ');
}

function logBacklogChange(description) {
  if (description === lastBacklog) {
    return;
  }
  lastBacklog = description;
  const entry = document.createElement('li');
  entry.className = 'backlog-change';
  entry.dataset.backlog = description;
  entry.textContent = `${timeOf(new Date())} ${description}`;
  const log = element('backlog-log');
  log.append(entry);
  while (log.children.length > LOG_ENTRIES_KEPT) {
    log.firstElementChild.remove();
  }
}

// An ISO-8601 duration as Java writes it, such as PT0.25S or PT1M3.5S, in seconds.
function secondsOf(duration) {
  const parts = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(duration);
  if (!parts) {
    return 0;
  }
  return Number(parts[1] || 0) * 3600 + Number(parts[2] || 0) * 60 + Number(parts[3] || 0);
}

function timeOf(date) {
  const two = (value) => String(value).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.`
    + String(date.getMilliseconds()).padStart(3, '0');
}

function schedulePoll() {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(pollBacklog, Date.now() < fastPollUntil ? FAST_POLL_MS : SLOW_POLL_MS);
}

// One read at a time: the next is scheduled when this one is done, whatever its outcome.
async function pollBacklog() {
  try {
    showBacklog((await (await call('GET', ENDPOINT)).json()).effects);
  } catch (error) {
    showError(error);
  } finally {
    schedulePoll();
  }
}

function watchBacklogClosely() {
  fastPollUntil = Date.now() + FAST_POLL_FOR_MS;
  schedulePoll();
}

// No mode: the endpoint runs a dry run.
async function sweep() {
  const button = element('sweep-button');
  button.disabled = true;
  try {
    const result = await (await call('POST', `${ENDPOINT}/sweeps/avatars`, {
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    })).json();
    showSweepReport(result.report, result.summary);
  } finally {
    button.disabled = false;
  }
}

function showSweepReport(report, summary) {
  element('sweep-summary').textContent = summary;
  element('sweep-mode').textContent = report.mode;
  ['scanned', 'referenced', 'young', 'orphans', 'failed'].forEach((count) => {
    element(`sweep-${count}`).textContent = String(report[count]);
  });
  element('sweep-bytes').textContent = String(report.bytesReclaimed);
  element('sweep-report').hidden = false;
  element('sweep-empty').hidden = true;
}

act(startPanel);
