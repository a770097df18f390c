// @vitest-environment happy-dom
/**
 * Chat: the generic leadtrail:chat DOM event, and one adapter per vendor, each driven through a
 * fake that follows the vendor's documented client API (how listeners are registered, what the
 * callbacks receive), including vendors whose script arrives after the tracker.
 */
import { describe, expect, it } from 'vitest';
import { collector, tracker, usePage, wait } from './harness';

usePage('https://site.example/pricing');

// biome-ignore lint/suspicious/noExplicitAny: vendor globals are untyped
const w = window as any;
type Fn = (...args: unknown[]) => void;

const chats = () => collector.named('chat').map((e) => e.props);
const identified = () => collector.named('identify').map((e) => e.user);

const chatEvent = (detail: unknown) => document.dispatchEvent(new CustomEvent('leadtrail:chat', { detail }));

describe('the generic leadtrail:chat event', () => {
  it('tracks open, message and email, and identifies with the email', async () => {
    await tracker();
    chatEvent({ action: 'open' });
    chatEvent({ action: 'message' });
    chatEvent({ action: 'email', email: 'ada@analytical.example' });
    await wait(2000);
    expect(chats()).toEqual([
      { provider: 'custom', action: 'open' },
      { provider: 'custom', action: 'message' },
      { provider: 'custom', action: 'email' },
    ]);
    expect(identified()).toEqual(['ada@analytical.example']);
  });

  it('ignores an event without detail and an invalid email', async () => {
    await tracker();
    document.dispatchEvent(new CustomEvent('leadtrail:chat'));
    chatEvent({ action: 'email', email: 'nope' });
    await wait(2000);
    expect(identified()).toEqual([]);
  });
});

describe('vendor adapters', () => {
  it('Intercom: Intercom("onShow", fn) and Intercom("onUserEmailSupplied", fn) through the snippet stub', async () => {
    // The documented snippet: a stub function that queues calls until the Messenger boots.
    const queued: unknown[][] = [];
    w.Intercom = (...args: unknown[]) => queued.push(args);
    await tracker();
    const on = (name: string) => queued.filter(([cmd]) => cmd === name).map(([, fn]) => fn as Fn);
    for (const fn of on('onShow')) fn();
    for (const fn of on('onUserEmailSupplied')) fn();
    await wait(2000);
    expect(chats()).toEqual([
      { action: 'open', provider: 'intercom' },
      { action: 'email', provider: 'intercom' },
    ]);
    expect(identified()).toEqual([]); // Intercom does not pass the address
    delete w.Intercom;
  });

  it('Drift: drift.on(event, fn), emailCapture carries data.email', async () => {
    const handlers: Record<string, Fn[]> = {};
    const on = (event: string, fn: Fn) => {
      handlers[event] ??= [];
      handlers[event].push(fn);
    };
    w.drift = { on };
    await tracker();
    const fire = (event: string, payload?: unknown) => {
      for (const fn of handlers[event] ?? []) fn(payload);
    };
    fire('chatOpen', { data: { chatOpen: true } });
    fire('message:sent', { conversationId: 1, inboxId: 2 });
    fire('emailCapture', { data: { email: 'bo@acme.example', conversationId: 1 } });
    await wait(2000);
    expect(chats()).toEqual([
      { action: 'open', provider: 'drift' },
      { action: 'message', provider: 'drift' },
      { action: 'email', provider: 'drift' },
    ]);
    expect(identified()).toEqual(['bo@acme.example']);
    delete w.drift;
  });

  it('HubSpot: HubSpotConversations.on(event, fn), hooked when it appears after the tracker', async () => {
    await tracker();
    await wait(3000);
    const handlers: Record<string, Fn[]> = {};
    const on = (event: string, fn: Fn) => {
      handlers[event] ??= [];
      handlers[event].push(fn);
    };
    w.HubSpotConversations = { on, off() {} };
    await wait(2000);
    const fire = (event: string, payload?: unknown) => {
      for (const fn of handlers[event] ?? []) fn(payload);
    };
    fire('userInteractedWithWidget', { message: 'User interacted with widget' });
    fire('conversationStarted', { conversation: { conversationId: 9 } });
    fire('contactAssociated', { message: 'Contact associated with conversation' });
    await wait(2000);
    expect(chats()).toEqual([
      { action: 'open', provider: 'hubspot' },
      { action: 'message', provider: 'hubspot' },
      { action: 'email', provider: 'hubspot' },
    ]);
    // Hooked once, although the adapters kept looking for the other vendors.
    expect(Object.values(handlers).map((list) => list.length)).toEqual([1, 1, 1]);
    delete w.HubSpotConversations;
  });

  it('Crisp: $crisp.push(["on", event, fn]) on the array the chatbox replays when it loads', async () => {
    w.$crisp = [];
    await tracker();
    // The chatbox loads and takes over the queue.
    const handlers: Record<string, Fn> = {};
    for (const [verb, event, fn] of w.$crisp as [string, string, Fn][])
      if (verb === 'on') handlers[event] = fn;
    handlers['chat:opened']!();
    handlers['message:sent']!({ type: 'text', content: 'hi', from: 'user' });
    handlers['user:email:changed']!('cy@globex.example');
    await wait(2000);
    expect(chats()).toEqual([
      { action: 'open', provider: 'crisp' },
      { action: 'message', provider: 'crisp' },
      { action: 'email', provider: 'crisp' },
    ]);
    expect(identified()).toEqual(['cy@globex.example']);
    delete w.$crisp;
  });

  it("tawk.to: Tawk_API callback properties, keeping the page's own", async () => {
    const pageCalls: string[] = [];
    w.Tawk_API = { onChatMaximized: () => pageCalls.push('maximized') };
    await tracker();
    w.Tawk_API.onChatMaximized();
    w.Tawk_API.onChatMessageVisitor('Do you support Snowflake?');
    w.Tawk_API.onPrechatSubmit([
      { label: 'Name', answer: 'Di' },
      { label: 'Email', answer: 'di@initech.example' },
    ]);
    w.Tawk_API.onOfflineSubmit({
      name: 'Di',
      email: 'di.two@initech.example',
      message: 'call me',
      questions: [],
    });
    await wait(2000);
    expect(pageCalls).toEqual(['maximized']);
    expect(chats()).toEqual([
      { action: 'open', provider: 'tawk' },
      { action: 'message', provider: 'tawk' },
      { action: 'email', provider: 'tawk' },
      { action: 'email', provider: 'tawk' },
    ]);
    expect(identified()).toEqual(['di@initech.example', 'di.two@initech.example']);
    delete w.Tawk_API;
  });

  it('leaves a vendor API that throws alone, without breaking the page', async () => {
    w.drift = {
      on() {
        throw new Error('drift is broken');
      },
    };
    const t = await tracker();
    t.track('still_working');
    await wait(2000);
    expect(collector.named('still_working')).toHaveLength(1);
    delete w.drift;
  });
});
