/* TickStock admin dashboard: keeps /admin/websockets live over /admin-ws. Plain JS, no build step. */
(() => {
  'use strict';
  const ROW_H = 24;          // px, must match --row in dashboard.css
  const RESORT_MS = 300;     // newest-first order is recomputed at most this often, so rows stay readable
  const FLASH_MS = 700;      // a changed price is coloured this long
  const CHART_POINTS = 60;
  const JSON_HEADERS = { 'X-Requested-With': 'tickstock-dashboard', 'Accept': 'application/json' };

  const $ = (sel, root = document) => root.querySelector(sel);
  const fmtInt = new Intl.NumberFormat();

  // Defence in depth: whatever arrives (NaN, null, strings, objects, missing fields, huge numbers), the page
  // shows '—' for what it cannot use and never throws. Values are checked by type before any conversion:
  // String() or a template literal on an object from JSON can throw (e.g. {"toString":1}).
  const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
  const numOr = (v, fallback) => (isNum(v) ? v : fallback);
  const str = (v, fallback = '—') => (typeof v === 'string' ? v
    : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback);
  const arr = (v) => (Array.isArray(v) ? v : []);
  const obj = (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});
  const clip = (v, max) => (v.length > max ? `${v.slice(0, max)}…` : v);
  const fmtCount = (v) => (!isNum(v) ? '—' : Math.abs(v) >= 1e15 ? v.toExponential(3) : fmtInt.format(v));
  const fmtRate = (v) => (isNum(v) ? String(Math.round(v * 10) / 10) : '—');
  const fmtTime = (ms) => {
    if (!isNum(ms) || ms <= 0) return '—';
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? '—' : d.toLocaleTimeString([], { hour12: false });
  };
  const fmtIso = (iso) => (typeof iso === 'string' ? fmtTime(Date.parse(iso)) : '—');
  const fmtPrice = (p) => (!isNum(p) ? '—' : Math.abs(p) >= 1e12 ? p.toExponential(4)
    : Math.abs(p) < 1 ? p.toFixed(4) : p.toFixed(2));
  const STATUSES = new Set(['connected', 'connecting', 'disconnected', 'error', 'disabled']);
  const fmtUptime = (s) => {
    if (!isNum(s) || s <= 0) return '—';
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.floor(s % 60);
    return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${sec}s` : `${sec}s`;
  };
  const ARROWS = { up: '▲', down: '▼', flat: '▶' };

  const state = {
    paused: false,
    autoscroll: true,
    ws: null,
    attempts: 0,
    reconnectTimer: null,
    countdownTimer: null,
    columns: new Map(), // connection_id -> Column
    metricsInterval: 1000,
  };

  class Column {
    constructor(section) {
      this.root = section;
      this.id = section.dataset.connectionId;
      this.index = Number(section.dataset.index);
      this.fields = {};
      section.querySelectorAll('[data-field]').forEach((e) => { this.fields[e.dataset.field] = e; });
      this.viewport = $('.tick-viewport', section);
      this.spacer = $('.tick-spacer', section);
      this.rowsEl = $('.tick-rows', section);
      this.countEl = $('.tick-count', section);
      this.canvas = $('canvas.spark', section);
      this.tickers = new Map();
      this.order = [];
      this.orderDirty = false;
      this.lastSort = 0;
      this.dirty = true;
      this.lastRender = 0;
      this.pool = [];
      this.history = [];
      this.updates = 0;
      this.name = this.fields.name ? this.fields.name.textContent : this.id;
      this.viewport.addEventListener('scroll', () => { this.dirty = true; }, { passive: true });
      $('.js-toggle', section).addEventListener('click', () => this.setCollapsed(!section.classList.contains('collapsed')));
      $('.js-reconnect', section).addEventListener('click', () => reconnect(this));
    }

    setCollapsed(collapsed) {
      this.root.classList.toggle('collapsed', collapsed);
      $('.js-toggle', this.root).setAttribute('aria-expanded', String(!collapsed));
    }

    /** t has been checked by validTick: a short string symbol and a finite price. */
    tick(t, now) {
      const ts = numOr(t.received_at, 0) || numOr(t.timestamp, 0);
      let e = this.tickers.get(t.symbol);
      if (!e) {
        e = { symbol: t.symbol, price: t.price, dir: 'flat', ts, changedAt: 0, seen: now, timeFor: -1, timeStr: '' };
        this.tickers.set(t.symbol, e);
        this.orderDirty = true;
      } else {
        e.dir = t.price > e.price ? 'up' : t.price < e.price ? 'down' : 'flat';
        if (t.price !== e.price) e.changedAt = now;
        e.price = t.price;
        e.ts = ts; // when the gateway got it; the exchange time is in t.timestamp
        e.seen = now;
        if (state.autoscroll) this.orderDirty = true;
      }
      this.updates++;
      this.dirty = true;
    }

    sort(now) {
      this.order = Array.from(this.tickers.values());
      if (state.autoscroll) {
        this.order.sort((a, b) => b.seen - a.seen || (a.symbol < b.symbol ? -1 : 1));
        this.viewport.scrollTop = 0;
      } else {
        this.order.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
      }
      this.orderDirty = false;
      this.lastSort = now;
    }

    render(now) {
      const newSymbols = this.order.length !== this.tickers.size;
      if (this.orderDirty && (newSymbols || now - this.lastSort >= RESORT_MS)) this.sort(now);
      if (!this.dirty && now - this.lastRender < 250) return; // re-render a few times a second to fade flashes
      this.dirty = false;
      this.lastRender = now;
      const n = this.order.length;
      this.spacer.style.height = `${n * ROW_H}px`;
      const top = this.viewport.scrollTop;
      const height = this.viewport.clientHeight || 420;
      const first = Math.max(0, Math.floor(top / ROW_H) - 4);
      const last = Math.min(n, Math.ceil((top + height) / ROW_H) + 4);
      const needed = last - first;
      while (this.pool.length < needed) this.pool.push(this.makeRow());
      for (let i = 0; i < this.pool.length; i++) {
        const row = this.pool[i];
        if (i >= needed) {
          if (row.el.style.display !== 'none') row.el.style.display = 'none';
          continue;
        }
        const e = this.order[first + i];
        if (row.el.style.display === 'none') row.el.style.display = '';
        row.el.style.transform = `translateY(${(first + i) * ROW_H}px)`;
        if (row.sym.textContent !== e.symbol) row.sym.textContent = e.symbol;
        const price = fmtPrice(e.price);
        if (row.price.textContent !== price) row.price.textContent = price;
        if (row.arrow.textContent !== ARROWS[e.dir]) row.arrow.textContent = ARROWS[e.dir];
        if (e.timeFor !== e.ts) { e.timeFor = e.ts; e.timeStr = fmtTime(e.ts); }
        if (row.time.textContent !== e.timeStr) row.time.textContent = e.timeStr;
        const cls = `tick-row dir-${e.dir}${now - e.changedAt < FLASH_MS ? ' flash' : ''}`;
        if (row.el.className !== cls) row.el.className = cls;
      }
      this.countEl.textContent = n === 0 ? 'No data yet' : `${fmtInt.format(n)} symbols · ${fmtInt.format(this.updates)} updates`;
      this.root.dataset.updates = String(this.updates);
      this.root.dataset.symbols = String(n);
    }

    makeRow() {
      const el = document.createElement('div');
      el.className = 'tick-row';
      const sym = document.createElement('span'); sym.className = 'sym';
      const price = document.createElement('span'); price.className = 'price';
      const arrow = document.createElement('span'); arrow.className = 'arrow';
      const time = document.createElement('span'); time.className = 'time';
      el.append(sym, price, arrow, time);
      this.rowsEl.appendChild(el);
      return { el, sym, price, arrow, time };
    }

    setStatus(raw, message) {
      const badge = this.fields.status;
      if (!badge || typeof raw !== 'string') return;
      const status = STATUSES.has(raw) ? raw : 'unknown';
      badge.textContent = clip(raw, 24);
      badge.className = `badge badge-${status}`;
      this.root.dataset.status = status;
      if (typeof message === 'string' && message && (status === 'error' || status === 'disconnected')) {
        this.setText('last_error', message);
      }
    }

    setText(field, value) {
      const e = this.fields[field];
      const v = clip(str(value), 500);
      if (e && e.textContent !== v) e.textContent = v;
    }

    applyMetrics(m) {
      this.setStatus(m.status);
      this.setText('msgs_per_sec', fmtRate(m.msgs_per_sec));
      this.setText('uptime', m.status === 'connected' && isNum(m.uptime) && m.uptime < 1 ? '0s' : fmtUptime(m.uptime));
      this.setText('error_count', fmtCount(m.error_count));
      this.setText('last_error', str(m.last_error) || '—');
      this.setText('last_heartbeat', fmtIso(m.last_heartbeat));
      this.setText('ticker_count', fmtCount(m.ticker_count));
      this.history.push(numOr(m.msgs_per_sec, 0));
      if (this.history.length > CHART_POINTS) this.history.shift();
      this.drawChart();
    }

    applyConfig(c) {
      const config = obj(c.config), metrics = obj(c.metrics);
      const symbols = arr(config.symbols).map((x) => str(x, '?'));
      this.name = str(c.name, this.id);
      this.setText('name', this.name);
      this.setText('priority', c.priority);
      const wholeMarket = symbols.length === 1 && symbols[0] === '*';
      const src = wholeMarket ? 'all tickers (*)' : str(config.universe_key, '') || (symbols.length ? symbols.slice(0, 12).join(', ')
        + (symbols.length > 12 ? ` … (+${symbols.length - 12})` : '') : '—');
      this.setText('source', src);
      this.setText('ticker_count', fmtCount(config.ticker_count));
      this.setText('uptime', fmtUptime(c.uptime_seconds));
      this.setText('last_heartbeat', fmtIso(c.last_heartbeat));
      this.setText('error_count', fmtCount(metrics.error_count));
      this.setText('last_error', str(metrics.last_error) || '—');
      this.setText('msgs_per_sec', fmtRate(metrics.messages_per_second));
      this.setStatus(c.status);
      this.root.classList.toggle('is-disabled', c.enabled !== true);
      $('.js-reconnect', this.root).disabled = c.enabled !== true || this.root.closest('.node-group') !== null; // other nodes: on their own page
      if (this.history.length === 0 && Array.isArray(metrics.history)) {
        this.history = metrics.history.slice(-CHART_POINTS).map((v) => numOr(v, 0));
        this.drawChart();
      }
    }

    drawChart() {
      const cv = this.canvas;
      if (!cv) return;
      const dpr = window.devicePixelRatio || 1;
      const w = cv.clientWidth || 300, h = cv.clientHeight || 44;
      if (cv.width !== Math.round(w * dpr)) { cv.width = Math.round(w * dpr); cv.height = Math.round(h * dpr); }
      const g = cv.getContext('2d');
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, w, h);
      const data = this.history;
      if (data.length < 2) return;
      const max = Math.min(Number.MAX_VALUE, data.reduce((a, v) => Math.max(a, v), 1));
      const accent = getComputedStyle(this.root).getPropertyValue('--accent').trim() || '#2563eb';
      const x = (i) => (i / (CHART_POINTS - 1)) * w;
      const off = CHART_POINTS - data.length;
      const y = (v) => h - 3 - (v / max) * (h - 14);
      g.beginPath();
      data.forEach((v, i) => (i === 0 ? g.moveTo(x(off + i), y(v)) : g.lineTo(x(off + i), y(v))));
      g.strokeStyle = accent; g.lineWidth = 1.5; g.stroke();
      g.lineTo(x(off + data.length - 1), h); g.lineTo(x(off), h); g.closePath();
      g.globalAlpha = 0.12; g.fillStyle = accent; g.fill(); g.globalAlpha = 1;
      g.fillStyle = getComputedStyle(document.body).getPropertyValue('color');
      g.font = '10px system-ui, sans-serif';
      g.fillText(`max ${fmtInt.format(Math.round(max))}/s`, 2, 10);
    }
  }

  // ---- stream -------------------------------------------------------------------------------
  function connect() {
    clearTimeout(state.reconnectTimer);
    clearInterval(state.countdownTimer);
    setStreamState('connecting', 'connecting…');
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/admin-ws`);
    state.ws = ws;
    ws.onopen = () => {
      state.attempts = 0;
      document.getElementById('reconnect-banner').hidden = true;
      if (state.paused) send({ action: 'pause' });
      setStreamState(state.paused ? 'paused' : 'live', state.paused ? 'paused' : 'live');
    };
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch (e) { ignored(e); return; }
      if (msg === null || typeof msg !== 'object') { ignored(); return; }
      try { handle(msg.event, msg.data); } catch (e) { ignored(e); } // one bad message never stops the stream
    };
    ws.onclose = (ev) => {
      if (state.ws !== ws) return;
      state.ws = null;
      // the server closes the stream when the login session was logged out or expired
      if (ev.code === 1008 && ev.reason === 'session ended') { location.href = '/login?next=/admin/websockets'; return; }
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    state.attempts++;
    setStreamState('down', 'disconnected');
    const delay = Math.min(10000, 1000 * 2 ** Math.min(state.attempts - 1, 4));
    const banner = document.getElementById('reconnect-banner');
    const text = document.getElementById('banner-text');
    banner.hidden = false;
    let left = Math.ceil(delay / 1000);
    const show = () => { text.textContent = ` Reconnecting in ${left} s (attempt ${state.attempts})… Figures shown may be stale.`; };
    show();
    state.countdownTimer = setInterval(() => { left = Math.max(0, left - 1); show(); }, 1000);
    state.reconnectTimer = setTimeout(async () => {
      clearInterval(state.countdownTimer);
      if (state.attempts >= 3) {
        // maybe the session expired: the upgrade is refused, which a browser cannot see; ask the API
        try {
          const r = await fetch('/api/admin/websocket-status', { headers: JSON_HEADERS, credentials: 'same-origin' });
          if (r.status === 401 || r.status === 403) { location.href = '/login?next=/admin/websockets'; return; }
        } catch (e) { /* server down: keep trying */ }
      }
      connect();
    }, delay);
  }

  function send(obj) {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(obj));
  }

  /** Counts what the page could not use (data-ignored on <body>, for tests and curious operators); logs a few. */
  function ignored(e) {
    state.ignored = (state.ignored || 0) + 1;
    document.body.dataset.ignored = String(state.ignored);
    if (state.ignored <= 5 && e) console.warn('dashboard: ignored a value it could not show', e);
  }

  function validTick(t) {
    return t !== null && typeof t === 'object' && typeof t.connection_id === 'string'
      && typeof t.symbol === 'string' && t.symbol.length > 0 && t.symbol.length <= 32 && isNum(t.price);
  }

  function handle(event, raw) {
    const now = performance.now();
    const data = obj(raw);
    switch (event) {
      case 'tick_update':
        if (state.paused) return;
        if (!Array.isArray(raw)) { ignored(); return; }
        for (const t of raw) {
          if (!validTick(t)) { ignored(); continue; }
          const col = state.columns.get(t.connection_id);
          if (col) col.tick(t, now);
        }
        break;
      case 'connection_status_update': {
        const col = typeof data.connection_id === 'string' ? state.columns.get(data.connection_id) : undefined;
        if (col) col.setStatus(data.status, data.message);
        break;
      }
      case 'metrics_update':
        for (const m of arr(data.connections)) {
          const col = m !== null && typeof m === 'object' && typeof m.connection_id === 'string'
            ? state.columns.get(m.connection_id) : undefined;
          if (col) col.applyMetrics(m);
        }
        applySummary(data.summary);
        if (Array.isArray(data.nodes)) applyNodes(data.nodes);
        break;
      case 'stream_state':
        setStreamState(data.paused === true ? 'paused' : 'live', data.paused === true ? 'paused' : 'live');
        break;
      default:
        break;
    }
  }

  // Several gateway nodes: mark stale ones; when nodes or their slots come or go, re-render the page.
  function applyNodes(raw) {
    const nodes = raw.map(obj).filter((n) => typeof n.node_id === 'string' && Array.isArray(n.connection_ids));
    const groups = document.querySelectorAll('.node-group');
    const seen = nodes.map((n) => n.node_id + ':' + n.connection_ids.map((c) => str(c, '?')).join(',')).join(' ');
    const shown = Array.from(groups).map((g) => g.dataset.nodeId + ':' +
      Array.from(g.querySelectorAll('section.conn')).map((s) => s.dataset.connectionId).join(',')).join(' ');
    if (seen !== shown && (groups.length > 0 || nodes.length > 0)) {
      if (!state.reloadAt) state.reloadAt = setTimeout(() => window.location.reload(), 1500);
      return;
    }
    for (const n of nodes) {
      const g = document.querySelector(`.node-group[data-node-id="${CSS.escape(n.node_id)}"]`);
      if (!g) continue;
      const stale = n.stale === true;
      g.classList.toggle('is-stale', stale);
      const b = g.querySelector('[data-field="node_state"]');
      if (!b) continue;
      b.textContent = stale ? `stale (${fmtCount(n.age_seconds)}s)` : 'live';
      b.className = 'badge node-state ' + (stale ? 'badge-error' : 'badge-connected');
    }
  }

  function applySummary(raw) {
    if (raw === null || typeof raw !== 'object') return;
    const s = obj(raw);
    document.getElementById('sum-connected').textContent = `${fmtCount(s.connected)}/${fmtCount(s.total)} connected`;
    document.getElementById('sum-ticks').textContent = `${fmtCount(s.ticks_total)} ${s.ticks_total === 1 ? 'tick' : 'ticks'}`;
    document.getElementById('sum-errors').textContent = `${fmtCount(s.errors_total)} ${s.errors_total === 1 ? 'error' : 'errors'}`;
  }

  function setStreamState(cls, text) {
    const e = document.getElementById('stream-state');
    e.className = `stream-state state-${cls}`;
    e.textContent = text;
  }

  function frame() {
    requestAnimationFrame(frame); // first: a column that fails to draw must not stop the others or the next frame
    const now = performance.now();
    state.columns.forEach((c) => { try { c.render(now); } catch (e) { ignored(e); } });
  }

  // ---- actions ------------------------------------------------------------------------------
  function note(text) {
    document.getElementById('toolbar-note').textContent = text;
  }

  async function refreshConfig() {
    try {
      const r = await fetch('/api/admin/websocket-status', { headers: JSON_HEADERS, credentials: 'same-origin' });
      if (r.status === 401) { location.href = '/login?next=/admin/websockets'; return; }
      if (!r.ok) { note(`Refresh failed: HTTP ${r.status}`); return; }
      const body = obj(await r.json());
      for (const c of arr(body.connections)) {
        const col = c !== null && typeof c === 'object' && typeof c.connection_id === 'string'
          ? state.columns.get(c.connection_id) : undefined;
        if (col) col.applyConfig(c);
      }
      applySummary(body.summary);
      note(`Configuration refreshed at ${fmtTime(Date.now())}`);
    } catch (e) {
      note('Refresh failed: server unreachable');
    }
  }

  async function reconnect(col) {
    if (!window.confirm(`Reconnect connection ${col.index} (${col.name})? Its ticks pause while it reconnects.`)) return;
    try {
      const r = await fetch(`/api/admin/connections/${col.index}/reconnect`,
        { method: 'POST', headers: JSON_HEADERS, credentials: 'same-origin' });
      const body = await r.json().catch(() => ({}));
      note(r.ok ? `Reconnecting ${col.name}…` : `Reconnect refused: ${str(obj(body).error, '') || 'HTTP ' + r.status}`);
    } catch (e) {
      note('Reconnect failed: server unreachable');
    }
  }

  function togglePause() {
    state.paused = !state.paused;
    const b = document.getElementById('btn-pause');
    b.textContent = state.paused ? 'Resume' : 'Pause';
    b.setAttribute('aria-pressed', String(state.paused));
    send({ action: state.paused ? 'pause' : 'resume' });
    if (state.ws) setStreamState(state.paused ? 'paused' : 'live', state.paused ? 'paused' : 'live');
  }

  function json(v) {
    try { return JSON.stringify(v); } catch (e) { return '—'; }
  }

  function esc(v) {
    const s = v == null ? '—' : typeof v === 'object' ? json(v) : str(v);
    return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  }

  function table(headers, rows) {
    const th = headers.map((h) => `<th${h.num ? ' class="num"' : ''}>${esc(h.label)}</th>`).join('');
    const cls = (h, v) => [h.num ? 'num' : '', typeof v === 'object' && v !== null ? 'json' : ''].join(' ').trim();
    const tr = rows.map((r) => `<tr>${r.map((v, i) => { const c = cls(headers[i], v); return `<td${c ? ` class="${c}"` : ''}>${esc(v)}</td>`; }).join('')}</tr>`).join('');
    return `<table class="mtable"><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
  }

  async function showMetrics() {
    const modal = document.getElementById('metrics-modal');
    const body = document.getElementById('metrics-body');
    modal.hidden = false;
    body.textContent = 'Loading…';
    try {
      const [hr, sr] = await Promise.all([
        fetch('/api/admin/health-status', { headers: JSON_HEADERS, credentials: 'same-origin' }),
        fetch('/api/admin/websocket-status', { headers: JSON_HEADERS, credentials: 'same-origin' })]);
      if (!hr.ok || !sr.ok) { body.textContent = `Failed: HTTP ${hr.status}/${sr.status}`; return; }
      const h = obj(await hr.json());
      const s = obj(await sr.json());
      // Every figure comes from the one health snapshot (taken at one moment, so delivered never exceeds
      // received); the status API only adds what a snapshot lacks (slot number, universe, uptime).
      const totals = [['Connections', fmtCount(h.total_connections)], ['Connected', fmtCount(h.connected_count)],
        ['Ticks received', fmtCount(h.total_ticks_received)], ['Delivered', fmtCount(h.ticks_delivered)],
        ['Duplicates dropped', fmtCount(h.duplicates_dropped)], ['Late events dropped', fmtCount(h.late_events_dropped)],
        ['Out-of-order events', fmtCount(h.out_of_order_events)], ['Unsubscribed events dropped', fmtCount(h.unsubscribed_events_dropped)],
        ['Errors', fmtCount(h.total_errors)], ['Sink errors', fmtCount(h.sink_errors)]];
      let html = '<h3>Totals</h3>' + table([{ label: 'Figure' }, { label: 'Value', num: true }], totals);
      const snap = obj(h.connections);
      const conns = arr(s.connections).map(obj).map((c) => {
        const id = str(c.connection_id, '');
        const hc = Object.prototype.hasOwnProperty.call(snap, id) ? obj(snap[id]) : {};
        return [str(c.id), str(hc.name, str(c.name)), str(hc.status, str(c.status)), str(hc.priority, str(c.priority)),
          str(obj(c.config).universe_key), fmtCount(hc.assigned_tickers ?? obj(c.config).ticker_count),
          fmtCount(hc.message_count), fmtRate(hc.messages_per_second), fmtUptime(c.uptime_seconds),
          fmtTime(numOr(hc.last_message_time, 0) * 1000), fmtCount(hc.error_count), str(hc.last_error)];
      });
      html += '<h3>Connections</h3>' + table([{ label: '#' }, { label: 'Name' }, { label: 'Status' }, { label: 'Priority' },
        { label: 'Universe' }, { label: 'Tickers', num: true }, { label: 'Messages', num: true }, { label: 'msg/s', num: true },
        { label: 'Uptime' }, { label: 'Last message' }, { label: 'Errors', num: true }, { label: 'Last error' }], conns);
      const known = new Set(['total_connections', 'connected_count', 'total_ticks_received', 'total_errors', 'connections',
        'ticks_delivered', 'duplicates_dropped', 'late_events_dropped', 'out_of_order_events', 'sequence_restarts',
        'unsubscribed_events_dropped', 'sink_errors', 'generated_at']);
      for (const [name, value] of Object.entries(h)) {
        if (known.has(name) || value === null || typeof value !== 'object') continue;
        html += `<h3>${esc(name)}</h3>` + table([{ label: 'Figure' }, { label: 'Value', num: true }],
          Object.entries(value).map(([k, v]) => [k, v]));
      }
      let raw;
      try { raw = JSON.stringify(h, null, 2); } catch (e) { raw = '—'; }
      html += `<details><summary>Raw health snapshot</summary><pre class="raw">${esc(raw)}</pre></details>`;
      body.innerHTML = html;
    } catch (e) {
      body.textContent = 'Failed: server unreachable';
    }
  }

  function init() {
    document.querySelectorAll('section.conn').forEach((s) => {
      const col = new Column(s);
      state.columns.set(col.id, col);
    });
    state.metricsInterval = Number(document.getElementById('grid').dataset.metricsInterval) || 1000;
    document.getElementById('btn-pause').addEventListener('click', togglePause);
    const auto = document.getElementById('chk-autoscroll');
    state.autoscroll = auto.checked;
    auto.addEventListener('change', () => {
      state.autoscroll = auto.checked;
      state.columns.forEach((c) => { c.orderDirty = true; c.dirty = true; c.lastSort = 0; });
    });
    const collapse = document.getElementById('btn-collapse');
    if (window.matchMedia('(max-width: 480px)').matches) {
      // a phone: details start collapsed so that the ticker list is on the first screen
      state.columns.forEach((c) => c.setCollapsed(true));
      collapse.textContent = 'Expand details';
    }
    collapse.addEventListener('click', () => {
      const collapsing = collapse.textContent.startsWith('Collapse');
      state.columns.forEach((c) => c.setCollapsed(collapsing));
      collapse.textContent = collapsing ? 'Expand details' : 'Collapse details';
    });
    document.getElementById('btn-refresh').addEventListener('click', refreshConfig);
    document.getElementById('btn-metrics').addEventListener('click', showMetrics);
    document.getElementById('metrics-refresh').addEventListener('click', showMetrics);
    document.getElementById('metrics-close').addEventListener('click', () => { document.getElementById('metrics-modal').hidden = true; });
    document.getElementById('metrics-modal').addEventListener('click', (e) => { if (e.target.id === 'metrics-modal') e.target.hidden = true; });
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape') document.getElementById('metrics-modal').hidden = true; });
    refreshConfig();
    connect();
    requestAnimationFrame(frame);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
