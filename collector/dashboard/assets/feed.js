// Live lead feed: listens to /dashboard/stream (the API's stage-change stream, through the
// session) and, when a lead becomes an MQL or SQL, announces it above the table and updates its
// row. Text only ever goes in through textContent, never as markup.
(() => {
  const LABELS = {
    visitor: 'Visitor',
    lead: 'Lead',
    mql: 'MQL',
    sal: 'SAL',
    sql: 'SQL',
    opportunity: 'Opportunity',
    customer: 'Customer',
    recycled: 'Recycled',
    disqualified: 'Disqualified',
  };
  const ANNOUNCE = new Set(['mql', 'sql']);
  const panel = document.getElementById('live');
  const list = document.getElementById('live-list');
  if (!panel || !list || !('EventSource' in window)) return;

  const pick = (...values) => values.find((v) => v !== undefined && v !== null && v !== '');

  // Accepts the stream's JSON whether the contact is nested or flat.
  function parse(text) {
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      return null;
    }
    if (!data || typeof data !== 'object') return null;
    const contact = data.contact && typeof data.contact === 'object' ? data.contact : data;
    const id = pick(data.contact_id, contact.id);
    const to = pick(data.to, data.to_stage, data.stage, contact.stage);
    if (typeof id !== 'string' || typeof to !== 'string') return null;
    return {
      id,
      to,
      name: String(pick(contact.name, contact.email, data.name, data.email, 'A contact')),
      score: pick(contact.score, data.score),
    };
  }

  function updateRow(change) {
    for (const row of document.querySelectorAll('tr[data-contact]')) {
      if (row.getAttribute('data-contact') !== change.id) continue;
      const cell = row.querySelector('.col-stage');
      const badge = cell?.querySelector('.badge');
      if (!cell || !badge) continue;
      cell.setAttribute('data-stage', change.to);
      badge.className = `badge stage stage-${LABELS[change.to] ? change.to : 'unknown'}`;
      badge.textContent = LABELS[change.to] || change.to;
      row.classList.remove('live-new');
      void row.offsetWidth; // restart the highlight animation
      row.classList.add('live-new');
    }
  }

  function announce(change) {
    const item = document.createElement('li');
    item.className = 'live-item';
    item.setAttribute('data-contact', change.id);
    item.setAttribute('data-stage', change.to);
    const time = document.createElement('span');
    time.className = 'muted';
    time.textContent = `${new Date().toTimeString().slice(0, 5)} `;
    const link = document.createElement('a');
    link.href = `/dashboard/contacts/${encodeURIComponent(change.id)}`;
    link.textContent = change.name;
    const what = document.createElement('span');
    const score = typeof change.score === 'number' ? ` (score ${Math.round(change.score)})` : '';
    what.textContent = ` became ${LABELS[change.to] || change.to}${score}`;
    item.append(time, link, what);
    list.prepend(item);
    while (list.children.length > 8) list.lastElementChild.remove();
    panel.hidden = false;
  }

  function onChange(event) {
    const change = parse(event.data);
    if (!change) return;
    updateRow(change);
    if (ANNOUNCE.has(change.to)) announce(change);
  }

  const source = new EventSource('/dashboard/stream');
  source.onmessage = onChange;
  for (const name of ['stage', 'stage_changed', 'contact.stage_changed', 'contact.mql', 'contact.sql']) {
    source.addEventListener(name, onChange);
  }
  document.documentElement.setAttribute('data-live', 'connecting');
  source.onopen = () => document.documentElement.setAttribute('data-live', 'open');
  window.addEventListener('pagehide', () => source.close());
})();
