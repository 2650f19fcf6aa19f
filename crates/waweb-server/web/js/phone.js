// The phone page: with the admin token (kept in sessionStorage for this tab only), lists the
// accounts (`GET /admin/accounts`) and links a browser by its QR text (`POST /admin/scan`).

import { fill, h } from './ui.js';

const $ = (id) => document.getElementById(id);
const KEY = 'waweb.admin-token';

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${sessionStorage.getItem(KEY) ?? ''}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({}));
  return { status: response.status, data };
}

async function loadAccounts() {
  const { status, data } = await api('GET', '/admin/accounts');
  if (status !== 200) {
    $('status').textContent = status === 401 ? 'Wrong admin token.' : `The server answered ${status}.`;
    $('scan-form').hidden = true;
    return;
  }
  $('status').textContent = '';
  fill($('account'), data.map((a) => h('option', { value: a.phone }, `${a.name} (+${a.phone})`)));
  $('token-form').hidden = true;
  $('scan-form').hidden = false;
  $('scan-text').focus();
}

async function scan() {
  const qr = $('scan-text').value.trim();
  const account = $('account').value;
  $('status').textContent = 'Linking…';
  const { status, data } = await api('POST', '/admin/scan', { qr, account });
  if (status === 200) {
    $('status').textContent = `Linked: the browser is now signed in as +${account}.`;
    $('scan-text').value = '';
  } else {
    $('status').textContent = `Not linked: ${data.message ?? `HTTP ${status}`}`;
  }
}

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $('token').value.trim());
  $('token').value = '';
  loadAccounts();
});
$('scan-form').addEventListener('submit', (event) => {
  event.preventDefault();
  scan();
});
if (sessionStorage.getItem(KEY)) loadAccounts();
