/*
 * Northwind Pipelines demo site behaviour: the forms (thank-you states instead of a server round
 * trip) and a home-made chat widget. The leadtrail script does the tracking by itself: it sees
 * every submit first (it listens on document in the capture phase), and the widget only has to
 * raise the generic `leadtrail:chat` DOM event.
 */
(() => {
  const EMAIL = /[^\s@<>()]+@[^\s@<>()]+\.[a-z]{2,}/i;
  const track = (...args) => window.leadtrail?.(...args);

  // ---- Forms -------------------------------------------------------------------------------
  // Bubble phase on document: runs after the tracker's capture-phase listener has read the form.
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.demoForm) return;
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    if (form.dataset.demoForm === 'demo') requestDemo(data);
    form.classList.add('done');
    const thanks = form.nextElementSibling;
    if (thanks?.classList.contains('thanks')) {
      const who = thanks.querySelector('[data-fill="email"]');
      if (who) who.textContent = String(data.email ?? '');
      thanks.setAttribute('tabindex', '-1');
      thanks.focus();
    }
  });

  // The demo form is marked data-lt-ignore and uses the API directly, as a site's own code would.
  function requestDemo(data) {
    const traits = {};
    for (const key of ['name', 'company', 'title', 'company_size', 'country'])
      if (data[key]) traits[key] = data[key];
    track('identify', String(data.email), traits);
    track('track', 'demo_requested', {
      form: 'demo',
      company_size: data.company_size || null,
      use_case: data.use_case || null,
    });
  }

  // ---- Chat widget -------------------------------------------------------------------------
  const emit = (action, email) =>
    document.dispatchEvent(
      new CustomEvent('leadtrail:chat', { detail: email ? { action, email } : { action } }),
    );

  const REPLIES = [
    [
      /pric|cost|plan|expensive|cheap/i,
      [
        'Team is $490 a month with 50M rows included, and Business adds SSO and SLAs. ',
        ['See pricing', '/pricing'],
        '.',
      ],
    ],
    [
      /demo|call|talk|sales|meeting/i,
      [
        'Happy to set one up: ',
        ['request a demo', '/demo'],
        ', or leave your work email here and we will reach out.',
      ],
    ],
    [/job|career|hiring|role|intern/i, ["We're hiring engineers and SEs! ", ['Open roles', '/careers'], '.']],
    [
      /drift|schema|column/i,
      [
        'Schema drift is our favourite topic. The ',
        ['field guide', '/whitepaper'],
        ' covers the 7 patterns we see most.',
      ],
    ],
  ];

  function chatWidget() {
    const launcher = el(
      'button',
      { class: 'chat-launcher', type: 'button', 'aria-expanded': 'false' },
      'Chat with us',
    );
    const log = el('div', { class: 'chat-log', role: 'log', 'aria-live': 'polite' });
    const input = el('input', {
      name: 'message',
      type: 'text',
      placeholder: 'Ask about pipelines, pricing…',
      autocomplete: 'off',
      'aria-label': 'Message',
    });
    const form = el(
      'form',
      { class: 'chat-form', 'data-lt-ignore': '' },
      input,
      el('button', { class: 'btn', type: 'submit' }, 'Send'),
    );
    const close = el('button', { type: 'button', 'aria-label': 'Close chat' }, '×');
    const panel = el(
      'div',
      { class: 'chat-panel', role: 'dialog', 'aria-label': 'Chat with Northwind' },
      el('div', { class: 'chat-head' }, el('strong', {}, 'Nora · Northwind'), close),
      log,
      form,
    );
    let opened = false;

    const say = (who, parts) => {
      const msg = el('div', { class: `chat-msg ${who}` });
      for (const part of [].concat(parts))
        msg.append(Array.isArray(part) ? el('a', { href: part[1] }, part[0]) : part);
      log.append(msg);
      log.scrollTop = log.scrollHeight;
    };
    const toggle = (show) => {
      panel.classList.toggle('open', show);
      launcher.setAttribute('aria-expanded', String(show));
      if (show && !opened) {
        opened = true;
        emit('open');
        say('bot', "Hi, I'm Nora from Northwind. What are you moving data between today?");
      }
      if (show) input.focus();
    };
    launcher.addEventListener('click', () => toggle(!panel.classList.contains('open')));
    close.addEventListener('click', () => toggle(false));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      input.value = '';
      say('me', text);
      emit('message');
      const email = text.match(EMAIL)?.[0];
      if (email) emit('email', email);
      setTimeout(() => say('bot', reply(text, email)), 350);
    });
    document.body.append(panel, launcher);
  }

  function reply(text, email) {
    if (email) return `Thanks! A solutions engineer will write to ${email} within one business day.`;
    for (const [pattern, answer] of REPLIES) if (pattern.test(text)) return answer;
    return 'Good question. Want a solutions engineer to follow up? Leave your work email and we will reply within a day.';
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', chatWidget);
  else chatWidget();
})();
