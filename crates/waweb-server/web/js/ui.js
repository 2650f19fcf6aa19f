// DOM helpers. Every piece of user text goes in with `textContent` (through `h`), never as
// HTML, so a message or a name can never become markup.

/** An element: `h('div', {class: 'x', onclick: f}, 'text', child…)`. Strings become text nodes. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const pad = (n) => String(n).padStart(2, '0');

export function clock(seconds) {
  const d = new Date(seconds * 1000);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The time of a chat row: the clock today, "Yesterday", else the date. */
export function shortTime(seconds) {
  if (!seconds) return '';
  const d = new Date(seconds * 1000);
  const today = new Date();
  const days = Math.round((new Date(today.toDateString()) - new Date(d.toDateString())) / 86_400_000);
  if (days === 0) return clock(seconds);
  if (days === 1) return 'Yesterday';
  return d.toLocaleDateString();
}

/** "today at 10:05", "yesterday at …", or the date. */
export function lastSeen(seconds) {
  const when = shortTime(seconds);
  if (when.includes(':')) return `last seen today at ${when}`;
  if (when === 'Yesterday') return `last seen yesterday at ${clock(seconds)}`;
  return `last seen ${when}`;
}

/** Draws a QR matrix on a canvas, with a quiet zone of 4 modules. */
export function drawQr(canvas, qr, scale = 6) {
  const n = qr.size + 8;
  canvas.width = n * scale;
  canvas.height = n * scale;
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = '#122';
  for (let y = 0; y < qr.size; y++) {
    for (let x = 0; x < qr.size; x++) {
      if (qr.dark[y * qr.size + x]) g.fillRect((x + 4) * scale, (y + 4) * scale, scale, scale);
    }
  }
}
