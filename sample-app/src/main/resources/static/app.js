'use strict';

// The sample's page: every action calls the REST API, then shows the users and the bucket as they are now.
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
    return problem.detail || problem.title || fallback;
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

act(() => Promise.all([refreshUsers(), refreshBucket()]));
