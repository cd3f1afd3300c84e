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
  const fmtTime = (ms) => {
    if (!ms) return '—';
    const d = new Date(ms);
    return d.toLocaleTimeString([], { hour12: false });
  };
  const fmtIso = (iso) => (iso ? fmtTime(Date.parse(iso)) : '—');
  const fmtPrice = (p) => (p == null ? '—' : (Math.abs(p) < 1 ? p.toFixed(4) : p.toFixed(2)));
  const fmtUptime = (s) => {
    if (!s || s <= 0) return '—';
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

    tick(t, now) {
      let e = this.tickers.get(t.symbol);
      if (!e) {
        e = { symbol: t.symbol, price: t.price, dir: 'flat', ts: t.received_at || t.timestamp, changedAt: 0, seen: now, timeFor: -1, timeStr: '' };
        this.tickers.set(t.symbol, e);
        this.orderDirty = true;
      } else {
        e.dir = t.price > e.price ? 'up' : t.price < e.price ? 'down' : 'flat';
        if (t.price !== e.price) e.changedAt = now;
        e.price = t.price;
        e.ts = t.received_at || t.timestamp; // when the gateway got it; the exchange time is in t.timestamp
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

    setStatus(status, message) {
      const badge = this.fields.status;
      if (!badge) return;
      badge.textContent = status;
      badge.className = `badge badge-${status}`;
      this.root.dataset.status = status;
      if (message && (status === 'error' || status === 'disconnected')) this.setText('last_error', message);
    }

    setText(field, value) {
      const e = this.fields[field];
      if (e && e.textContent !== value) e.textContent = value;
    }

    applyMetrics(m) {
      this.setStatus(m.status);
      this.setText('msgs_per_sec', String(m.msgs_per_sec));
      this.setText('uptime', m.status === 'connected' && m.uptime < 1 ? '0s' : fmtUptime(m.uptime));
      this.setText('error_count', fmtInt.format(m.error_count));
      this.setText('last_error', m.last_error || '—');
      this.setText('last_heartbeat', fmtIso(m.last_heartbeat));
      this.setText('ticker_count', fmtInt.format(m.ticker_count));
      this.history.push(m.msgs_per_sec);
      if (this.history.length > CHART_POINTS) this.history.shift();
      this.drawChart();
    }

    applyConfig(c) {
      this.name = c.name;
      this.setText('name', c.name);
      this.setText('priority', c.priority);
      const src = c.config.universe_key || (c.config.symbols.length ? c.config.symbols.slice(0, 12).join(', ')
        + (c.config.symbols.length > 12 ? ` … (+${c.config.symbols.length - 12})` : '') : '—');
      this.setText('source', src);
      this.setText('ticker_count', fmtInt.format(c.config.ticker_count));
      this.setText('uptime', fmtUptime(c.uptime_seconds));
      this.setText('last_heartbeat', fmtIso(c.last_heartbeat));
      this.setText('error_count', fmtInt.format(c.metrics.error_count));
      this.setText('last_error', c.metrics.last_error || '—');
      this.setText('msgs_per_sec', String(c.metrics.messages_per_second));
      this.setStatus(c.status);
      this.root.classList.toggle('is-disabled', !c.enabled);
      $('.js-reconnect', this.root).disabled = !c.enabled || this.root.closest('.node-group') !== null; // other nodes: on their own page
      if (this.history.length === 0 && c.metrics.history) {
        this.history = c.metrics.history.slice(-CHART_POINTS);
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
      const max = Math.max(1, ...data);
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
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      handle(msg.event, msg.data);
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

  function handle(event, data) {
    const now = performance.now();
    switch (event) {
      case 'tick_update':
        if (state.paused) return;
        for (const t of data) {
          const col = state.columns.get(t.connection_id);
          if (col) col.tick(t, now);
        }
        break;
      case 'connection_status_update': {
        const col = state.columns.get(data.connection_id);
        if (col) col.setStatus(data.status, data.message);
        break;
      }
      case 'metrics_update':
        for (const m of data.connections) {
          const col = state.columns.get(m.connection_id);
          if (col) col.applyMetrics(m);
        }
        applySummary(data.summary);
        if (data.nodes) applyNodes(data.nodes);
        break;
      case 'stream_state':
        setStreamState(data.paused ? 'paused' : 'live', data.paused ? 'paused' : 'live');
        break;
      default:
        break;
    }
  }

  // Several gateway nodes: mark stale ones; when nodes or their slots come or go, re-render the page.
  function applyNodes(nodes) {
    const groups = document.querySelectorAll('.node-group');
    const seen = nodes.map((n) => n.node_id + ':' + n.connection_ids.join(',')).join(' ');
    const shown = Array.from(groups).map((g) => g.dataset.nodeId + ':' +
      Array.from(g.querySelectorAll('section.conn')).map((s) => s.dataset.connectionId).join(',')).join(' ');
    if (seen !== shown && (groups.length > 0 || nodes.length > 0)) {
      if (!state.reloadAt) state.reloadAt = setTimeout(() => window.location.reload(), 1500);
      return;
    }
    for (const n of nodes) {
      const g = document.querySelector(`.node-group[data-node-id="${CSS.escape(n.node_id)}"]`);
      if (!g) continue;
      g.classList.toggle('is-stale', n.stale);
      const b = g.querySelector('[data-field="node_state"]');
      b.textContent = n.stale ? `stale (${n.age_seconds}s)` : 'live';
      b.className = 'badge node-state ' + (n.stale ? 'badge-error' : 'badge-connected');
    }
  }

  function applySummary(s) {
    if (!s) return;
    document.getElementById('sum-connected').textContent = `${s.connected}/${s.total} connected`;
    document.getElementById('sum-ticks').textContent = `${fmtInt.format(s.ticks_total)} ticks`;
    document.getElementById('sum-errors').textContent = `${fmtInt.format(s.errors_total)} ${s.errors_total === 1 ? 'error' : 'errors'}`;
  }

  function setStreamState(cls, text) {
    const e = document.getElementById('stream-state');
    e.className = `stream-state state-${cls}`;
    e.textContent = text;
  }

  function frame() {
    const now = performance.now();
    state.columns.forEach((c) => c.render(now));
    requestAnimationFrame(frame);
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
      const body = await r.json();
      for (const c of body.connections) {
        const col = state.columns.get(c.connection_id);
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
      note(r.ok ? `Reconnecting ${col.name}…` : `Reconnect refused: ${body.error || 'HTTP ' + r.status}`);
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

  function esc(v) {
    return String(v == null ? '—' : v).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  }

  function table(headers, rows) {
    const th = headers.map((h) => `<th${h.num ? ' class="num"' : ''}>${esc(h.label)}</th>`).join('');
    const tr = rows.map((r) => `<tr>${r.map((v, i) => `<td${headers[i].num ? ' class="num"' : ''}>${esc(v)}</td>`).join('')}</tr>`).join('');
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
      const h = await hr.json();
      const s = await sr.json();
      const totals = [['Connections', h.total_connections], ['Connected', h.connected_count],
        ['Ticks received', fmtInt.format(h.total_ticks_received)], ['Delivered', fmtInt.format(h.ticks_delivered ?? 0)],
        ['Duplicates dropped', fmtInt.format(h.duplicates_dropped ?? 0)], ['Sequence gaps', fmtInt.format(h.sequence_gaps ?? 0)],
        ['Errors', fmtInt.format(h.total_errors)], ['Sink errors', fmtInt.format(h.sink_errors ?? 0)]];
      let html = '<h3>Totals</h3>' + table([{ label: 'Figure' }, { label: 'Value', num: true }], totals);
      const conns = s.connections.map((c) => [c.id, c.name, c.status, c.priority, c.config.universe_key || '—',
        fmtInt.format(c.config.ticker_count), fmtInt.format(c.metrics.message_count), c.metrics.messages_per_second,
        fmtUptime(c.uptime_seconds), fmtIso(c.metrics.last_update), fmtInt.format(c.metrics.error_count), c.metrics.last_error || '—']);
      html += '<h3>Connections</h3>' + table([{ label: '#' }, { label: 'Name' }, { label: 'Status' }, { label: 'Priority' },
        { label: 'Universe' }, { label: 'Tickers', num: true }, { label: 'Messages', num: true }, { label: 'msg/s', num: true },
        { label: 'Uptime' }, { label: 'Last message' }, { label: 'Errors', num: true }, { label: 'Last error' }], conns);
      const known = new Set(['total_connections', 'connected_count', 'total_ticks_received', 'total_errors', 'connections',
        'ticks_delivered', 'duplicates_dropped', 'sequence_gaps', 'symbols_with_gaps', 'sink_errors', 'generated_at']);
      for (const [name, value] of Object.entries(h)) {
        if (known.has(name) || value === null || typeof value !== 'object') continue;
        html += `<h3>${esc(name)}</h3>` + table([{ label: 'Figure' }, { label: 'Value', num: true }],
          Object.entries(value).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v]));
      }
      html += `<details><summary>Raw health snapshot</summary><pre class="raw">${esc(JSON.stringify(h, null, 2))}</pre></details>`;
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
