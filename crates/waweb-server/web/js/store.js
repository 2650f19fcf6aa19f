// What the page keeps in the browser between visits: the pairing (client id, session keys and
// tokens) in localStorage under one key. The tokens rotate at every login and are saved each
// time; logging out or a 401 removes everything.

const KEY = 'waweb.session';

/** The saved pairing, or null. */
export function loadSession(storage = globalThis.localStorage) {
  try {
    const s = JSON.parse(storage.getItem(KEY) ?? 'null');
    const ok = s && ['clientId', 'encKey', 'macKey', 'clientToken', 'serverToken', 'wid']
      .every((k) => typeof s[k] === 'string');
    return ok ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(session, storage = globalThis.localStorage) {
  storage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(storage = globalThis.localStorage) {
  storage.removeItem(KEY);
}
