// The status page: polls /api/migration/status and draws it; buttons call the control API.
// Vanilla JS, no build step. URLs are built on location.origin so a page opened as
// http://user:password@host/ can still fetch (a URL with credentials cannot be fetched).
(function () {
  'use strict';
  const POLL_MS = 2000;
  const HISTORY_EVERY = 5; // polls between two reads of the service's rate history
  const DLQ_LIST_LIMIT = 500;
  let polls = 0;

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
    // a finished stage has nothing to pause; one paused anyway keeps its Resume
    const run = s.paused ? ['resume'] : s.state === 'done' ? [] : ['pause'];
    const wanted = run.concat(s.dlqDepth > 0 ? ['replay'] : []);
    const shown = Array.from(actions.children).map((b) => b.dataset.action);
    if (wanted.join() !== shown.join()) {
      actions.replaceChildren(...wanted.map((a) => button(a === 'replay' ? 'Replay DLQ' : a === 'pause' ? 'Pause' : 'Resume', a, s.stage)));
    }
    whyRow(body, tr, s);
  }

  // The "why" expander under a stage: its dead letters (loaded when opened) with replay of a selection.
  function whyRow(body, stageTr, s) {
    let why = body.querySelector('tr[data-why="' + s.stage + '"]');
    if (!why) {
      why = document.createElement('tr');
      why.className = 'why';
      why.dataset.why = s.stage;
      const td = document.createElement('td');
      td.colSpan = 10;
      const details = document.createElement('details');
      details.dataset.stage = s.stage;
      details.appendChild(text('summary', ''));
      const list = document.createElement('div');
      list.className = 'dead-letter-list';
      details.appendChild(list);
      td.appendChild(details);
      why.appendChild(td);
      stageTr.after(why);
    }
    why.classList.toggle('empty', s.dlqDepth <= 0 && s.deadLettered <= 0);
    why.querySelector('summary').textContent = 'Why: ' + (s.dlqDepth < 0 ? '?' : fmt(s.dlqDepth))
      + ' dead letter(s) in ' + 'im.import.' + s.stage + '.DLQ (' + fmt(s.deadLettered) + ' record(s) dead-lettered)';
    const details = why.querySelector('details');
    // reload an open list when the DLQ changed, unless the operator is selecting in it
    if (details.open && details.dataset.depth !== String(s.dlqDepth) && !details.querySelector('input:checked')) {
      loadDeadLetters(details);
    }
    details.dataset.depth = String(s.dlqDepth);
  }

  async function loadDeadLetters(details) {
    const stage = details.dataset.stage;
    const list = details.querySelector('.dead-letter-list');
    try {
      const response = await fetch(api('/api/migration/stages/' + encodeURIComponent(stage) + '/dlq?limit=' + DLQ_LIST_LIMIT),
        { cache: 'no-store' });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
      list.replaceChildren(deadLetterTable(stage, body.deadLetters));
    } catch (e) {
      list.replaceChildren(text('p', 'Dead letters unavailable: ' + e.message, 'error'));
    }
  }

  function deadLetterTable(stage, letters) {
    const box = document.createElement('div');
    if (!letters.length) {
      box.appendChild(text('p', 'The DLQ is empty (its records were replayed or the queue was purged).'));
      return box;
    }
    const table = document.createElement('table');
    table.className = 'dead-letters';
    const head = document.createElement('tr');
    ['', 'Source id', 'Reason', 'IM code', 'When', 'Records'].forEach((h) => head.appendChild(text('th', h)));
    table.appendChild(document.createElement('thead')).appendChild(head);
    const tbody = table.appendChild(document.createElement('tbody'));
    letters.forEach((d) => {
      const tr = document.createElement('tr');
      tr.dataset.messageId = d.messageId;
      const pick = document.createElement('input');
      pick.type = 'checkbox';
      pick.value = d.messageId;
      pick.setAttribute('aria-label', 'select ' + (d.sourceId || d.messageId));
      tr.appendChild(document.createElement('td')).appendChild(pick);
      tr.appendChild(text('td', d.sourceId || '–', 'source-id'));
      tr.appendChild(text('td', d.reason || '–', 'reason'));
      tr.appendChild(text('td', d.errorCode || '–', 'error-code'));
      tr.appendChild(text('td', d.failedAt || '–', 'failed-at'));
      tr.appendChild(text('td', String(d.records), 'num records'));
      tbody.appendChild(tr);
    });
    box.appendChild(table);
    const replay = button('Replay selected', 'replay-selected', stage);
    box.appendChild(replay);
    if (letters.length >= DLQ_LIST_LIMIT) {
      box.appendChild(text('p', 'The first ' + DLQ_LIST_LIMIT + ' shown; the rest are in Hawtio (DLQ table below).'));
    }
    return box;
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

  // The chart draws the service's rate history (the whole run, whenever the page is opened), by time.
  function drawChart(history) {
    const points = history.points || [];
    const max = Math.max(1, ...points.map((p) => p.total));
    const width = 590, height = 130;
    const times = points.map((p) => Date.parse(p.at));
    const first = times.length ? times[0] : 0;
    const span = times.length > 1 ? times[times.length - 1] - first : 0;
    const xy = points.map((p, i) => {
      const x = span > 0 ? 40 + ((times[i] - first) / span) * width : 40 + width;
      const y = 140 - (p.total / max) * height;
      return x.toFixed(1) + ',' + y.toFixed(1);
    });
    if (xy.length === 1) xy.unshift('40,' + xy[0].split(',')[1]);
    $('#rate-line').setAttribute('points', xy.join(' '));
    $('#rate-max').textContent = fmt(Math.round(max));
    $('#rate-span').textContent = points.length ? 'last ' + duration(span / 1000) + ' (' + points.length + ' points)' : 'no history yet';
  }

  function duration(seconds) {
    if (seconds < 120) return Math.round(seconds) + ' s';
    if (seconds < 7200) return Math.round(seconds / 60) + ' min';
    return (seconds / 3600).toFixed(1) + ' h';
  }

  async function pollHistory() {
    try {
      const response = await fetch(api('/api/migration/rate-history'), { cache: 'no-store' });
      if (response.ok) drawChart(await response.json());
    } catch (e) {
      $('#rate-span').textContent = 'rate history unavailable: ' + e.message;
    }
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
      const tr = keyedRow(dlqs, q.queue, 'data-queue', ['name', 'num depth', 'hawtio']);
      if (!tr.querySelector('.hawtio a')) tr.querySelector('.hawtio').replaceChildren(...hawtioLink(q));
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

    $('#start-import').classList.toggle('hidden', Boolean(status.started || status.finished));
  }

  // The link opens Hawtio's JMX tab; its tree's search box finds the queue by the name shown next to it
  // (the full MBean name is in the tooltip). Hawtio's own node links (?nid=) carry a tree-path id that
  // depends on how it lays out the tree, so the page does not build them.
  function hawtioLink(q) {
    const a = text('a', 'JMX tab');
    a.href = q.hawtio || '/actuator/hawtio/jmx';
    a.target = '_blank';
    a.rel = 'noopener';
    a.className = 'hawtio-jmx';
    const search = text('span', q.queue, 'hawtio-search');
    search.title = 'type this into the search box above the JMX tree; MBean: ' + (q.mbean || '');
    return [a, text('span', ' search '), search];
  }

  async function poll() {
    try {
      const response = await fetch(api('/api/migration/status'), { cache: 'no-store' });
      if (!response.ok) throw new Error('status API answered HTTP ' + response.status);
      render(await response.json());
      if (polls++ % HISTORY_EVERY === 0) pollHistory();
    } catch (e) {
      $('#overall').textContent = 'Status unavailable: ' + e.message;
    }
  }

  async function act(action, stage, origin) {
    let path;
    let request = '{}';
    if (action === 'replay-selected') {
      const details = origin.closest('details');
      const ids = Array.from(details.querySelectorAll('input[type=checkbox]:checked')).map((c) => c.value);
      if (!ids.length) {
        $('#message').textContent = 'Select the dead letters to replay first.';
        return;
      }
      path = '/api/migration/stages/' + encodeURIComponent(stage) + '/dlq/replay';
      request = JSON.stringify({ messageIds: ids });
    } else if (action === 'replay') {
      if (!window.confirm('Replay every dead letter of ' + stage + ' onto its work queue? Fix the cause first.')) return;
      path = '/api/migration/stages/' + encodeURIComponent(stage) + '/dlq/replay';
    } else {
      path = stage ? '/api/migration/stages/' + encodeURIComponent(stage) + '/' + action : '/api/migration/' + action;
    }
    $('#message').textContent = action + (stage ? ' ' + stage : ' all') + '…';
    try {
      // same-origin fetch: the browser's Sec-Fetch-Site/Origin headers are what the cross-site guard checks
      const response = await fetch(api(path), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: request });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
      $('#message').textContent = action.startsWith('replay')
        ? 'Replayed ' + body.replayedMessages + ' message(s), ' + body.replayedRecords + ' record(s) of ' + stage
        : 'Done: ' + action + ' ' + body.stages.join(', ') + (body.paused.length ? ' (paused: ' + body.paused.join(', ') + ')' : '');
    } catch (e) {
      $('#message').textContent = 'Failed: ' + e.message;
    }
    if (action === 'replay-selected') loadDeadLetters(origin.closest('details'));
    poll();
  }

  document.addEventListener('click', (event) => {
    const b = event.target.closest('button[data-action]');
    if (b) act(b.dataset.action, b.dataset.stage, b);
  });

  // toggle does not bubble: listen in the capture phase for any "why" expander opened
  document.addEventListener('toggle', (event) => {
    const details = event.target;
    if (details.tagName === 'DETAILS' && details.open && details.dataset.stage) loadDeadLetters(details);
  }, true);

  poll();
  setInterval(poll, POLL_MS);
})();
