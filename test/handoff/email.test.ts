/**
 * Email alerts over a real SMTP conversation: nodemailer talks to `smtp-server` on a loopback
 * port, and `mailparser` reads what arrived — a plain-text and an HTML part with the same story,
 * visitors' text escaped in the HTML, the delivery id as Message-ID, retried after a 4xx.
 */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../collector/clock';
import { startDispatcher } from '../../collector/outbox/dispatcher';
import { batchOf, identifyEvent, pageView, postBatch, trackEvent } from '../helpers/events';
import { startCollector } from '../helpers/server';

async function startSmtp(refuseFirst: boolean) {
  const mails: ParsedMail[] = [];
  let seen = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const attempt = seen++;
      simpleParser(stream).then(
        (mail) => {
          if (refuseFirst && attempt === 0) {
            const error = Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 });
            return callback(error);
          }
          mails.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('email alerts over SMTP', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  it('sends the owner a text and HTML message with the full story, escaped, once, after a retry', async () => {
    const smtp = await startSmtp(true);
    cleanup.push(smtp.close);
    const clock = manualClock(Date.now());
    const server = await startCollector({
      clock,
      workers: false,
      file: {
        owners: [{ id: 'ana', name: 'Ana', email: 'ana@sales.example' }],
        alerts: {
          dashboard_url: 'https://leads.example.com',
          email: { from: 'leadtrail@sales.example', host: '127.0.0.1', port: smtp.port },
        },
      },
    });
    cleanup.push(() => server.close());
    const dispatcher = startDispatcher(server.services, { pollMs: 3_600_000 });
    cleanup.push(() => dispatcher.stop());

    const anon = 'anon-mail';
    const res = await postBatch(
      server.url,
      batchOf([
        pageView(anon, 'https://site.test/pricing?utm_source=linkedin', {
          title: 'Pricing <script>x</script>',
        }),
        identifyEvent(anon, 'dan@globex.com', { name: 'Dan "<img src=x>"', company: 'Globex & Sons' }),
        trackEvent(anon, 'demo_requested'),
      ]),
    );
    expect(res.status).toBe(202);

    await dispatcher.tick();
    const [row] = await server.services.db.selectFrom('outbox').selectAll().execute();
    expect(row).toMatchObject({ webhook: 'email:ana', status: 'pending', attempts: 1 });
    expect(row!.last_error).toContain('451');
    expect(smtp.mails).toHaveLength(0);

    clock.advance(10 * 60_000);
    await dispatcher.tick();
    await dispatcher.tick();
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.subject).toBe('New SQL: Dan "<img src=x>" (Globex & Sons)');
    expect(mail.from?.text).toBe('leadtrail@sales.example');
    expect((Array.isArray(mail.to) ? mail.to[0] : mail.to)?.text).toBe('ana@sales.example');
    expect(mail.messageId).toBe(`<${row!.id}@leadtrail>`);
    const text = mail.text ?? '';
    expect(text).toContain('Who: Dan "<img src=x>", Globex & Sons');
    expect(text).toContain('Owner: Ana');
    expect(text).toContain('First touch: linkedin');
    expect(text).toMatch(/Why:\n {2}\+\d+ /);
    expect(text).toContain('/pricing — Pricing <script>x</script>');
    expect(text).toContain('Open contact: https://leads.example.com/dashboard/contacts/');
    const html = String(mail.html);
    expect(html).toContain('Dan &quot;&lt;img src=x&gt;&quot;');
    expect(html).toContain('Pricing &lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    const [done] = await server.services.db.selectFrom('outbox').selectAll().execute();
    expect(done).toMatchObject({ status: 'delivered', attempts: 2 });
  });
});
