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

  function stageRow(s) {
    const tr = document.createElement('tr');
    tr.dataset.stage = s.stage;
    tr.className = s.paused ? 'paused' : s.state;
    tr.appendChild(text('td', s.stage, 'stage-name'));
    tr.appendChild(text('td', s.paused ? 'paused (' + s.state + ')' : s.state, 'state'));
    const progress = document.createElement('td');
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', '100');
    bar.setAttribute('aria-valuenow', String(s.percent));
    const fill = document.createElement('span');
    fill.className = 'fill';
    fill.style.display = 'block';
    fill.style.width = s.percent + '%';
    bar.appendChild(fill);
    progress.appendChild(bar);
    progress.appendChild(text('span', s.percent + '%', 'pct'));
    tr.appendChild(progress);
    tr.appendChild(text('td', fmt(s.imported) + ' / ' + fmt(s.total), 'num counts'));
    tr.appendChild(text('td', fmt(s.deadLettered), 'num dead-lettered'));
    tr.appendChild(text('td', s.rate + ' /s', 'num rate'));
    tr.appendChild(text('td', eta(s.etaSeconds, s), 'num eta'));
    tr.appendChild(text('td', s.queueDepth < 0 ? '?' : fmt(s.queueDepth), 'num queue'));
    tr.appendChild(text('td', s.dlqDepth < 0 ? '?' : fmt(s.dlqDepth), 'num dlq' + (s.dlqDepth > 0 ? ' dlq-nonzero' : '')));
    const actions = document.createElement('td');
    actions.appendChild(button(s.paused ? 'Resume' : 'Pause', s.paused ? 'resume' : 'pause', s.stage));
    if (s.dlqDepth > 0) actions.appendChild(button('Replay DLQ', 'replay', s.stage));
    tr.appendChild(actions);
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
    body.replaceChildren(...status.stages.map(stageRow));

    const dlqs = $('#dlqs tbody');
    dlqs.replaceChildren(...status.stages.map((s) => {
      const tr = document.createElement('tr');
      tr.dataset.queue = 'im.import.' + s.stage + '.DLQ';
      tr.appendChild(text('td', 'im.import.' + s.stage + '.DLQ'));
      tr.appendChild(text('td', s.dlqDepth < 0 ? '?' : fmt(s.dlqDepth), 'num depth' + (s.dlqDepth > 0 ? ' dlq-nonzero' : '')));
      return tr;
    }));

    const sync = $('#sync tbody');
    sync.replaceChildren(...Object.entries(status.syncLag || {}).map(([direction, lag]) => {
      const tr = document.createElement('tr');
      tr.dataset.direction = direction;
      tr.appendChild(text('td', direction));
      tr.appendChild(text('td', lag.traffic
        ? 'mean ' + fmt(lag.meanMs) + ' ms, recent max ' + fmt(lag.recentMaxMs) + ' ms (' + fmt(lag.events) + ' events)'
        : 'no traffic yet', 'lag'));
      return tr;
    }));

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
