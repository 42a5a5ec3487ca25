// The status page: polls /api/migration/status and draws it; buttons call the control API.
// Vanilla JS, no build step. URLs are built on location.origin so a page opened as
// http://user:password@host/ can still fetch (a URL with credentials cannot be fetched).
(function () {
  'use strict';
  const POLL_MS = 2000;
  const HISTORY = 150; // chart points kept (5 minutes at 2 s)
  const rates = [];

  const api = (path) => new URL(path, window.location.origin).toString();
  const $ = (sel) => document.querySelector(sel);
  const fmt = (n) => Number(n).toLocaleString('en-US');

  function text(tag, value, cls) {
    const el = document.createElement(tag);
    el.textContent = value;
    if (cls) el.className = cls;
    return el;
  }

  function eta(seconds, stage) {
    if (stage.state === 'done') return 'done';
    if (seconds === null || seconds === undefined) return '–';
    if (seconds < 60) return seconds + ' s';
    if (seconds < 3600) return Math.round(seconds / 60) + ' min';
    return (seconds / 3600).toFixed(1) + ' h';
  }

  // Rows are built once and updated in place, so a button is never replaced under the pointer.
  function stageRow(body, s) {
    let tr = body.querySelector('tr[data-stage="' + s.stage + '"]');
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.stage = s.stage;
      tr.innerHTML = '<td class="stage-name"></td><td class="state"></td>'
        + '<td><span class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100"><span class="fill"></span></span>'
        + '<span class="pct"></span></td><td class="num counts"></td><td class="num dead-lettered"></td><td class="num rate"></td>'
        + '<td class="num eta"></td><td class="num queue"></td><td class="num dlq"></td><td class="actions"></td>';
      tr.querySelector('.stage-name').textContent = s.stage;
      tr.querySelector('.fill').style.display = 'block';
      body.appendChild(tr);
    }
    const set = (cls, value) => { tr.querySelector('.' + cls).textContent = value; };
    tr.className = s.paused ? 'paused' : s.state;
    set('state', (s.paused ? 'paused (' + s.state + ')' : s.state)
      + (s.problem ? ': ' + s.problem + (s.since ? ' (since ' + s.since + ')' : '') : ''));
    tr.querySelector('.bar').setAttribute('aria-valuenow', String(s.percent));
    tr.querySelector('.fill').style.width = s.percent + '%';
    set('pct', s.percent + '%');
    set('counts', fmt(s.imported) + ' / ' + fmt(s.total));
    set('dead-lettered', fmt(s.deadLettered));
    set('rate', s.rate + ' /s');
    set('eta', eta(s.etaSeconds, s));
    set('queue', s.queueDepth < 0 ? '?' : fmt(s.queueDepth));
    set('dlq', s.dlqDepth < 0 ? '?' : fmt(s.dlqDepth));
    tr.querySelector('.dlq').classList.toggle('dlq-nonzero', s.dlqDepth > 0);
    const actions = tr.querySelector('.actions');
    const wanted = [s.paused ? 'resume' : 'pause'].concat(s.dlqDepth > 0 ? ['replay'] : []);
    const shown = Array.from(actions.children).map((b) => b.dataset.action);
    if (wanted.join() !== shown.join()) {
      actions.replaceChildren(...wanted.map((a) => button(a === 'replay' ? 'Replay DLQ' : a === 'pause' ? 'Pause' : 'Resume', a, s.stage)));
    }
  }

  function keyedRow(body, key, attribute, cells) {
    let tr = body.querySelector('tr[' + attribute + '="' + key + '"]');
    if (!tr) {
      tr = document.createElement('tr');
      tr.setAttribute(attribute, key);
      cells.forEach((cls) => tr.appendChild(text('td', '', cls)));
      body.appendChild(tr);
    }
    return tr;
  }

  function button(label, action, stage) {
    const b = text('button', label);
    b.type = 'button';
    b.dataset.action = action;
    if (stage) b.dataset.stage = stage;
    return b;
  }

  function drawChart() {
    const max = Math.max(1, ...rates);
    const width = 590, height = 130;
    const step = rates.length > 1 ? width / (HISTORY - 1) : 0;
    const points = rates.map((r, i) => {
      const x = 40 + (HISTORY - rates.length + i) * step;
      const y = 140 - (r / max) * height;
      return x.toFixed(1) + ',' + y.toFixed(1);
    });
    $('#rate-line').setAttribute('points', points.join(' '));
    $('#rate-max').textContent = fmt(Math.round(max));
    $('#rate-span').textContent = 'last ' + Math.round(rates.length * POLL_MS / 1000) + ' s';
  }

  function render(status) {
    const active = status.stages.filter((s) => s.state !== 'done' && s.state !== 'pending').length;
    $('#overall').textContent = (status.finished ? 'Import finished' : status.started ? 'Import running' : 'Import not started')
      + (status.dryRun ? ' (dry run)' : '') + ': ' + fmt(status.imported) + ' of ' + fmt(status.total)
      + ' records imported, ' + fmt(status.deadLettered) + ' dead-lettered; ' + active + ' stage(s) active.';

    const body = $('#stages tbody');
    status.stages.forEach((s) => stageRow(body, s));

    const dlqs = $('#dlqs tbody');
    (status.deadLetterQueues || []).forEach((q) => {
      const tr = keyedRow(dlqs, q.queue, 'data-queue', ['name', 'num depth']);
      tr.querySelector('.name').textContent = q.queue;
      tr.querySelector('.depth').textContent = q.depth < 0 ? '?' : fmt(q.depth);
      tr.querySelector('.depth').classList.toggle('dlq-nonzero', q.depth > 0);
    });

    const sync = $('#sync tbody');
    Object.entries(status.syncLag || {}).forEach(([direction, lag]) => {
      const tr = keyedRow(sync, direction, 'data-direction', ['name', 'lag']);
      tr.querySelector('.name').textContent = direction;
      tr.querySelector('.lag').textContent = lag.traffic
        ? 'mean ' + fmt(lag.meanMs) + ' ms, recent max ' + fmt(lag.recentMaxMs) + ' ms (' + fmt(lag.events) + ' events)'
        : 'no traffic yet';
    });

    rates.push(status.stages.reduce((sum, s) => sum + (s.rate || 0), 0));
    if (rates.length > HISTORY) rates.shift();
    drawChart();
  }

  async function poll() {
    try {
      const response = await fetch(api('/api/migration/status'), { cache: 'no-store' });
      if (!response.ok) throw new Error('status API answered HTTP ' + response.status);
      render(await response.json());
    } catch (e) {
      $('#overall').textContent = 'Status unavailable: ' + e.message;
    }
  }

  async function act(action, stage) {
    let path;
    if (action === 'replay') {
      if (!window.confirm('Replay every dead letter of ' + stage + ' onto its work queue? Fix the cause first.')) return;
      path = '/api/migration/stages/' + encodeURIComponent(stage) + '/dlq/replay';
    } else {
      path = stage ? '/api/migration/stages/' + encodeURIComponent(stage) + '/' + action : '/api/migration/' + action;
    }
    $('#message').textContent = action + (stage ? ' ' + stage : ' all') + '…';
    try {
      const response = await fetch(api(path), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
      $('#message').textContent = action === 'replay'
        ? 'Replayed ' + body.replayedMessages + ' message(s), ' + body.replayedRecords + ' record(s) of ' + stage
        : 'Done: ' + action + ' ' + body.stages.join(', ') + (body.paused.length ? ' (paused: ' + body.paused.join(', ') + ')' : '');
    } catch (e) {
      $('#message').textContent = 'Failed: ' + e.message;
    }
    poll();
  }

  document.addEventListener('click', (event) => {
    const b = event.target.closest('button[data-action]');
    if (b) act(b.dataset.action, b.dataset.stage);
  });

  poll();
  setInterval(poll, POLL_MS);
})();
