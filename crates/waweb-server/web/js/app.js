// The web client's page: pairing screen, chat list and conversation, drawn from the events of
// the protocol client (client.js). All user text goes through `h`/`fill` (textContent).

import { Client } from './client.js';
import { hasWebCrypto, hasX25519 } from './crypto.js';
import { attr, children } from './binary.js';
import { randomBytes, toHex } from './bytes.js';
import { decodeWmi, encodeOutgoing } from './wmi.js';
import { encodeQr } from './qr.js';
import { clock, drawQr, fill, h, lastSeen, shortTime } from './ui.js';
import { mediaElement } from './media.js';

const $ = (id) => document.getElementById(id);
const PAGE = 40;
const TYPING_MS = 10_000;

/** `…@s.whatsapp.net` → `…@c.us`, the spelling of nodes and JSON (§7.4). */
const cUs = (jid) => (jid ?? '').replace(/@s\.whatsapp\.net$/, '@c.us');
const waNet = (jid) => jid.replace(/@c\.us$/, '@s.whatsapp.net');
const isGroup = (jid) => jid.endsWith('@g.us');
const number = (jid) => jid.split('@')[0];
/** The key of a message in its chat's `byId`: ids are unique per direction only. */
const msgKey = (id, fromMe) => `${id}${fromMe}`;

const model = {
  me: null,
  pushname: '',
  chats: new Map(),
  contacts: new Map(),
  presence: new Map(),
  active: null,
};

let client;
let arrivals = 0;

// ---------------------------------------------------------------------------------------------
// The model

function chat(jid) {
  let c = model.chats.get(jid);
  if (!c) {
    c = { jid, name: undefined, t: 0, seq: 0, unread: 0, messages: [], byId: new Map(), complete: false, loading: false };
    model.chats.set(jid, c);
  }
  return c;
}

function nameOf(jid) {
  if (jid === model.me) return 'You';
  const contact = model.contacts.get(jid);
  const c = model.chats.get(jid);
  return contact?.name || contact?.notify || c?.name || (isGroup(jid) ? 'Group' : `+${number(jid)}`);
}

/** A message of the page's model from a decoded WebMessageInfo. */
function fromWmi(info) {
  const chatJid = cUs(info.key.remoteJid);
  const sender = info.key.fromMe ? model.me : cUs(info.participant || info.key.participant || info.key.remoteJid);
  return {
    id: info.key.id,
    chat: chatJid,
    fromMe: info.key.fromMe,
    sender,
    pushName: info.pushName,
    text: info.text,
    kind: info.kind,
    media: info.media,
    t: info.timestamp,
    status: info.status || (info.key.fromMe ? 2 : 0),
    stubType: info.stubType,
    stubParameters: info.stubParameters,
  };
}

/** Adds (or updates) a message; keeps the chat's list in time order. Returns the chat. */
function addMessage(m) {
  const c = chat(m.chat);
  const known = c.byId.get(msgKey(m.id, m.fromMe));
  if (known) {
    Object.assign(known, m, { status: Math.max(known.status, m.status) });
    return c;
  }
  c.byId.set(msgKey(m.id, m.fromMe), m);
  const last = c.messages[c.messages.length - 1];
  if (!last || last.t <= m.t) c.messages.push(m);
  else {
    let i = c.messages.length;
    while (i > 0 && c.messages[i - 1].t > m.t) i--;
    c.messages.splice(i, 0, m);
  }
  // Times are in seconds: of two chats active in the same second, the later arrival goes first.
  if (m.t >= c.t) {
    c.t = m.t;
    c.seq = ++arrivals;
  }
  // A group created or renamed while the page is open: its name is in the system message.
  if ((m.stubType === 20 || m.stubType === 21) && m.stubParameters?.[0] && m === c.messages[c.messages.length - 1]) {
    c.name = m.stubParameters[0];
  }
  if (!m.fromMe && m.pushName && !isGroup(m.sender)) {
    const contact = model.contacts.get(m.sender) ?? {};
    if (!contact.notify) model.contacts.set(m.sender, { ...contact, notify: m.pushName });
  }
  return c;
}

function messagesOf(node) {
  const out = [];
  for (const child of children(node)) {
    if (child[0] !== 'message' || !(child[2] instanceof Uint8Array)) continue;
    try {
      out.push(fromWmi(decodeWmi(child[2])));
    } catch (error) {
      console.warn('waweb: a message that does not decode', error.message);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// What the server sends

function onNode({ node }) {
  const [description, attrs] = node;
  if (description === 'response' && attrs?.type === 'chat') {
    for (const item of children(node)) {
      if (item[0] !== 'chat') continue;
      const c = chat(cUs(attr(item, 'jid')));
      c.name = attr(item, 'name') ?? c.name;
      c.t = Math.max(c.t, Number(attr(item, 't') ?? 0));
      c.unread = Math.max(0, Number(attr(item, 'count') ?? 0));
    }
  } else if (description === 'response' && attrs?.type === 'contacts') {
    for (const user of children(node)) {
      const jid = cUs(attr(user, 'jid'));
      if (jid) model.contacts.set(jid, { name: attr(user, 'name'), notify: attr(user, 'notify') });
    }
  } else if (description === 'action' && attrs?.add) {
    const live = attrs.add === 'relay';
    for (const m of messagesOf(node)) {
      const c = addMessage(m);
      if (live && !m.fromMe && !m.stubType) incoming(c, m);
      if (live && model.presence.get(c.jid)?.type === 'composing') model.presence.set(c.jid, { type: 'available' });
    }
  } else if (description === 'action') {
    for (const child of children(node)) {
      const jid = cUs(attr(child, 'jid'));
      if (child[0] === 'read' && jid) chat(jid).unread = attr(child, 'type') === 'false' ? 1 : 0;
      if (child[0] === 'user' && jid) {
        model.contacts.set(jid, { name: attr(child, 'name'), notify: attr(child, 'notify') });
      }
    }
  }
  render();
}

function incoming(c, m) {
  if (model.active === c.jid && document.visibilityState === 'visible') markRead(c);
  else c.unread += 1;
}

function onPush({ frame }) {
  const [kind, body] = frame;
  if (kind === 'Msg' && body?.cmd === 'ack') {
    const ids = Array.isArray(body.id) ? body.id : [body.id];
    const c = model.chats.get(cUs(body.to));
    for (const id of ids) {
      const m = c?.byId.get(msgKey(id, true));
      if (m) m.status = Math.max(m.status, body.ack + 1);
    }
  } else if (kind === 'Presence' && body?.id) {
    const jid = cUs(body.id);
    const p = { type: body.type, t: body.t, participant: body.participant && cUs(body.participant), at: Date.now() };
    if (p.type === 'paused') p.type = 'available';
    model.presence.set(jid, { ...(model.presence.get(jid) ?? {}), ...p });
    if (p.type === 'composing') setTimeout(render, TYPING_MS + 50);
  } else if (kind === 'Conn' && body?.pushname) {
    model.pushname = body.pushname;
  }
  render();
}

// ---------------------------------------------------------------------------------------------
// Drawing

let scheduled = false;
function render() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    renderList();
    renderConversation();
  });
}

const rows = new Map();

function preview(m) {
  if (!m) return '';
  if (m.stubType) return systemText(m);
  const who = m.fromMe ? '' : isGroup(m.chat) ? `${nameOf(m.sender)}: ` : '';
  return who + (m.kind ? `[${m.kind}] ${m.text}` : m.text);
}

function renderList() {
  const list = $('chat-list');
  const sorted = [...model.chats.values()].sort((a, b) => b.t - a.t || b.seq - a.seq || (a.jid < b.jid ? -1 : 1));
  const elements = sorted.map((c) => {
    let row = rows.get(c.jid);
    if (!row) {
      row = h('button', { class: 'chat', type: 'button', 'data-jid': c.jid, onclick: () => openChat(c.jid) });
      rows.set(c.jid, row);
    }
    const last = c.messages[c.messages.length - 1];
    const key = [nameOf(c.jid), c.t, c.unread, last?.id, last?.status, model.active === c.jid, preview(last)].join('\u0000');
    if (row.dataset.key !== key) {
      row.dataset.key = key;
      row.classList.toggle('active', model.active === c.jid);
      fill(row,
        h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(nameOf(c.jid))),
        h('span', { class: 'chat-main' },
          h('span', { class: 'chat-top' },
            h('span', { class: 'chat-name' }, nameOf(c.jid)),
            h('span', { class: 'chat-time' }, shortTime(c.t))),
          h('span', { class: 'chat-bottom' },
            h('span', { class: 'chat-last' }, last?.fromMe && !last.stubType ? ticks(last) : null, preview(last)),
            c.unread > 0 ? h('span', { class: 'badge', 'aria-label': `${c.unread} unread` }, String(c.unread)) : null)));
    }
    return row;
  });
  const current = list.children;
  if (current.length !== elements.length || elements.some((e, i) => current[i] !== e)) list.replaceChildren(...elements);
  $('me-name').textContent = model.pushname || (model.me ? `+${number(model.me)}` : '');
}

function initials(name) {
  const letters = name.replace(/[^\p{L}\p{N} ]/gu, '').split(' ').filter(Boolean).map((w) => w[0]);
  return (letters.slice(0, 2).join('') || '#').toUpperCase();
}

function ticks(m) {
  const [symbol, label] = {
    '-1': ['!', 'failed'], 0: ['🕓', 'pending'], 1: ['🕓', 'pending'], 2: ['✓', 'sent'],
    3: ['✓✓', 'delivered'], 4: ['✓✓', 'read'], 5: ['✓✓', 'played'],
  }[m.status] ?? ['✓', 'sent'];
  return h('span', { class: `ticks ticks-${label}`, title: label, 'aria-label': label }, symbol);
}

function systemText(m) {
  const who = m.sender ? nameOf(m.sender) : 'Someone';
  const p = m.stubParameters ?? [];
  const names = p.map((j) => nameOf(cUs(j))).join(', ');
  switch (m.stubType) {
    case 1: return 'This message was deleted';
    case 20: return `${who} created group "${p[0] ?? ''}"`;
    case 21: return `${who} changed the subject to "${p[0] ?? ''}"`;
    case 22: return `${who} changed this group's icon`;
    case 24: return `${who} changed the group description`;
    case 25: return `${who} changed who can edit this group's info`;
    case 26: return `${who} changed who can send messages`;
    case 27: return `${who} added ${names}`;
    case 28: return `${who} removed ${names}`;
    case 29: return `${who} made ${names} an admin`;
    case 30: return `${who} dismissed ${names} as admin`;
    case 31: return `${names || who} joined using this group's invite link`;
    case 32: return `${who} left`;
    default: return 'A change in this chat';
  }
}

function presenceText(jid) {
  const p = model.presence.get(jid);
  if (!p) return isGroup(jid) ? 'group' : '';
  if (p.type === 'composing' && Date.now() - p.at < TYPING_MS) {
    return isGroup(jid) && p.participant ? `${nameOf(p.participant)} is typing…` : 'typing…';
  }
  if (p.type === 'recording' && Date.now() - p.at < TYPING_MS) return 'recording audio…';
  if (isGroup(jid)) return 'group';
  if (p.type === 'available' || p.type === 'composing' || p.type === 'recording') return 'online';
  return p.t ? lastSeen(p.t) : '';
}

function renderConversation() {
  const pane = $('conversation');
  const jid = model.active;
  document.body.classList.toggle('in-chat', Boolean(jid));
  pane.hidden = !jid;
  $('placeholder').hidden = Boolean(jid);
  if (!jid) return;
  const c = chat(jid);
  $('peer-name').textContent = nameOf(jid);
  $('peer-status').textContent = presenceText(jid);
  $('peer-avatar').textContent = initials(nameOf(jid));
  const box = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  const before = box.scrollHeight;
  const firstBefore = box.dataset.first;
  const key = `${jid}|${c.messages.length}|${c.complete}|${c.messages.map((m) => m.status).join('')}`;
  if (box.dataset.key === key) return;
  const sameChat = box.dataset.jid === jid;
  box.dataset.key = key;
  box.dataset.jid = jid;
  const items = [];
  if (c.complete) items.push(h('div', { class: 'start', id: 'chat-start' }, 'This is the start of the conversation'));
  let day = '';
  for (const m of c.messages) {
    const d = new Date(m.t * 1000).toDateString();
    if (d !== day) {
      day = d;
      items.push(h('div', { class: 'day' }, h('span', {}, new Date(m.t * 1000).toLocaleDateString())));
    }
    items.push(bubble(c, m));
  }
  fill(box, items);
  box.dataset.first = c.messages[0]?.id ?? '';
  if (!sameChat) box.scrollTop = box.scrollHeight;
  else if (firstBefore && firstBefore !== box.dataset.first) box.scrollTop += box.scrollHeight - before;
  else if (atBottom) box.scrollTop = box.scrollHeight;
}

function bubble(c, m) {
  if (m.stubType) return h('div', { class: 'system', 'data-id': m.id }, h('span', {}, systemText(m)));
  const sender = !m.fromMe && isGroup(c.jid)
    ? h('div', { class: 'sender' }, nameOf(m.sender) !== `+${number(m.sender)}` ? nameOf(m.sender) : m.pushName || nameOf(m.sender))
    : null;
  return h('div', { class: `msg ${m.fromMe ? 'out' : 'in'}`, 'data-id': m.id, 'data-status': m.status },
    sender,
    m.media ? mediaElement(`${c.jid} ${msgKey(m.id, m.fromMe)}`, m.id, m.media) : null,
    m.kind && !m.media ? h('span', { class: 'kind' }, `[${m.kind}] `) : null,
    h('span', { class: 'text' }, m.text),
    h('span', { class: 'meta' }, clock(m.t), m.fromMe ? ticks(m) : null));
}

// ---------------------------------------------------------------------------------------------
// What the user does

function openChat(jid) {
  model.active = jid;
  const c = chat(jid);
  if (!isGroup(jid)) client.subscribe(jid);
  markRead(c);
  render();
  if (c.messages.length < PAGE) loadOlder();
  requestAnimationFrame(() => $('compose-text').focus());
}

function markRead(c) {
  if (c.unread === 0) return;
  const lastIn = [...c.messages].reverse().find((m) => !m.fromMe && !m.stubType);
  const count = c.unread;
  c.unread = 0;
  if (lastIn) {
    const participant = isGroup(c.jid) ? lastIn.sender : undefined;
    client.read(c.jid, lastIn.id, count, participant).catch(() => {});
  }
}

async function loadOlder() {
  const c = model.active && chat(model.active);
  if (!c || c.complete || c.loading || client.state !== 'open') return;
  c.loading = true;
  try {
    const oldest = c.messages[0];
    const answer = await client.history(c.jid, PAGE, oldest?.id, oldest?.fromMe);
    const found = Array.isArray(answer) ? messagesOf(answer) : [];
    for (const m of found) addMessage(m);
    if (found.length < PAGE) c.complete = true;
  } catch {
    // The connection dropped: scrolling up asks again once it is back.
  } finally {
    c.loading = false;
  }
  render();
}

async function send(text) {
  const jid = model.active;
  if (!jid || !text.trim()) return;
  const id = `3EB0${toHex(randomBytes(8)).toUpperCase()}`;
  const t = Math.floor(Date.now() / 1000);
  const m = { id, chat: jid, fromMe: true, sender: model.me, text, t, status: 1 };
  addMessage(m);
  render();
  stopTyping();
  try {
    const answer = await client.sendText(jid, id, encodeOutgoing({ remoteJid: waNet(jid), id, text, timestamp: t }));
    if (answer?.status === 200) {
      m.status = Math.max(m.status, 2);
    } else m.status = -1;
  } catch {
    m.status = -1;
  }
  render();
}

let typingTimer = null;
function typing() {
  const jid = model.active;
  if (!jid) return;
  if (!typingTimer) client.chatState(jid, 'composing');
  clearTimeout(typingTimer);
  typingTimer = setTimeout(stopTyping, 3000);
}

function stopTyping() {
  if (!typingTimer) return;
  clearTimeout(typingTimer);
  typingTimer = null;
  if (model.active) client.chatState(model.active, 'paused');
}

async function newChat(text) {
  const digits = text.replace(/[^0-9]/g, '');
  const error = $('new-chat-error');
  if (digits.length < 5) {
    error.textContent = 'Type a phone number with its country code.';
    return;
  }
  const jid = `${digits}@c.us`;
  const answer = await client.exists(jid).catch(() => ({ status: 0 }));
  if (answer.status !== 200) {
    error.textContent = `+${digits} is not on this server.`;
    return;
  }
  error.textContent = '';
  $('new-chat').hidden = true;
  const c = chat(jid);
  if (!c.t) c.t = Math.floor(Date.now() / 1000);
  openChat(jid);
}

// ---------------------------------------------------------------------------------------------
// Screens

function show(screen) {
  for (const id of ['insecure', 'no-x25519', 'pairing', 'loading', 'main']) $(id).hidden = id !== screen;
}

function onState({ state }) {
  $('takeover').hidden = state !== 'replaced';
  $('offline').hidden = state !== 'offline';
  $('qr-expired').hidden = state !== 'qr-expired';
  if (state === 'qr' || state === 'qr-expired') show('pairing');
  else if (state === 'logged-out') {
    model.me = null;
    model.chats.clear();
    model.contacts.clear();
    model.active = null;
    rows.clear();
    $('chat-list').replaceChildren();
    show('loading');
  } else if (state === 'connecting' && !model.me) show('loading');
}

function onQr({ qr }) {
  drawQr($('qr'), encodeQr(qr, { ecl: 'M' }));
  $('qr-text').value = qr;
  show('pairing');
}

function onOpen({ wid, pushname }) {
  model.me = cUs(wid);
  model.pushname = pushname ?? '';
  show('main');
  render();
}

function bind() {
  $('copy-qr').addEventListener('click', () => {
    $('qr-text').select();
    navigator.clipboard?.writeText($('qr-text').value).catch(() => {});
  });
  $('retry-qr').addEventListener('click', () => client.connect());
  $('use-here').addEventListener('click', () => client.connect('takeover'));
  $('compose').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('compose-text');
    const text = input.value;
    input.value = '';
    send(text);
  });
  $('compose-text').addEventListener('input', typing);
  $('messages').addEventListener('scroll', () => {
    if ($('messages').scrollTop < 60) loadOlder();
  });
  $('back').addEventListener('click', () => {
    model.active = null;
    render();
  });
  $('menu-button').addEventListener('click', () => {
    const menu = $('menu');
    menu.hidden = !menu.hidden;
    $('menu-button').setAttribute('aria-expanded', String(!menu.hidden));
    if (!menu.hidden) $('logout').focus();
  });
  $('logout').addEventListener('click', () => {
    $('menu').hidden = true;
    client.logout();
  });
  $('new-chat-button').addEventListener('click', () => {
    $('new-chat').hidden = !$('new-chat').hidden;
    if (!$('new-chat').hidden) $('new-chat-number').focus();
  });
  $('new-chat').addEventListener('submit', (event) => {
    event.preventDefault();
    newChat($('new-chat-number').value);
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    $('menu').hidden = true;
    $('new-chat').hidden = true;
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && model.active) markRead(chat(model.active));
  });
}

async function main() {
  if (!hasWebCrypto()) {
    show('insecure');
    $('insecure-origin').textContent = location.origin;
    return;
  }
  // Without X25519 the page could never pair: say so once rather than retry for ever.
  if (!(await hasX25519())) {
    show('no-x25519');
    return;
  }
  bind();
  show('loading');
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  client = new Client(url);
  client.addEventListener('state', (e) => onState(e.detail));
  client.addEventListener('qr', (e) => onQr(e.detail));
  client.addEventListener('open', (e) => onOpen(e.detail));
  client.addEventListener('node', (e) => onNode(e.detail));
  client.addEventListener('push', (e) => onPush(e.detail));
  client.connect();
}

main();
