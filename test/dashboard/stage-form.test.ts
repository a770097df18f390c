/**
 * The sales buttons: CSRF refusals leave the lead where it was; a valid form moves it through
 * the API (recorded as the signed-in person) and comes back with a flash message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, TEST_ADMIN_KEY, TEST_READ_KEY, type TestCollector } from '../helpers/server';
import { csrfToken, type DashboardClient, dashboardClient, signIn } from './client';
import { type Seeded, seedDashboard } from './seed';

const USER = { user: 'sam.sales', password: 'a long sales password' };
const VIEWER = { user: 'vic.viewer', password: 'a long viewer password', role: 'viewer' };
let collector: TestCollector;
let seeded: Seeded;

beforeAll(async () => {
  collector = await startCollector({ file: { dashboard: { users: [USER, VIEWER] } } });
  seeded = await seedDashboard(collector.url);
});
afterAll(() => collector.close());

async function idOf(email: string) {
  const body = (await (await collector.api(`/api/leads?q=${encodeURIComponent(email)}`)).json()) as {
    leads: { id: string }[];
  };
  return body.leads[0]!.id;
}

async function stageOf(id: string) {
  const body = (await (await collector.api(`/api/contacts/${id}`)).json()) as {
    stage: string;
    stage_history: { to: string; actor: string; reason: string }[];
  };
  return body;
}

async function flashAfter(client: DashboardClient, response: Response) {
  expect(response.status).toBe(303);
  const html = await client.html(response.headers.get('location')!);
  return /class="flash flash-(ok|error)"[^>]*>([^<]*)</.exec(html)?.slice(1, 3);
}

describe('stage forms', () => {
  it('refuses a move without the session token, or posted from another origin', async () => {
    const client = dashboardClient(collector.url);
    await signIn(client, USER);
    const id = await idOf(seeded.rejectable.email);
    const path = `/dashboard/contacts/${id}/stage`;
    const token = csrfToken(await client.html(`/dashboard/contacts/${id}`));
    const before = (await stageOf(id)).stage;

    expect((await client.post(path, { move: 'accept' })).status).toBe(403);
    expect((await client.post(path, { move: 'accept', _csrf: 'guess' })).status).toBe(403);
    expect(
      (await client.post(path, { move: 'accept', _csrf: token }, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect((await client.post(path, { move: 'accept', _csrf: token }, { origin: 'null' })).status).toBe(403);
    // Without Origin, a foreign Referer is refused too.
    const noOrigin = await fetch(`${collector.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: `lt_session=${client.cookies.get('lt_session')}`,
        referer: 'https://evil.example/page',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ move: 'accept', _csrf: token }).toString(),
    });
    expect(noOrigin.status).toBe(403);
    // Another session's token does not work either.
    const other = dashboardClient(collector.url);
    await signIn(other, { key: TEST_ADMIN_KEY });
    const otherToken = csrfToken(await other.html('/dashboard'));
    expect((await client.post(path, { move: 'accept', _csrf: otherToken })).status).toBe(403);

    expect((await stageOf(id)).stage).toBe(before);
  });

  it('moves a lead with a valid form, as the signed-in person, and says so', async () => {
    const client = dashboardClient(collector.url);
    await signIn(client, USER);
    const id = await idOf(seeded.rejectable.email);
    const token = csrfToken(await client.html(`/dashboard/contacts/${id}`));
    const response = await client.post(`/dashboard/contacts/${id}/stage`, { move: 'accept', _csrf: token });
    expect(response.headers.get('location')).toBe(`/dashboard/contacts/${id}`);
    expect(await flashAfter(client, response)).toEqual(['ok', 'Moved to SAL.']);
    const after = await stageOf(id);
    expect(after.stage).toBe('sal');
    expect(after.stage_history.at(-1)).toMatchObject({ to: 'sal', actor: USER.user });
    // The flash is shown once.
    expect(await client.html(`/dashboard/contacts/${id}`)).not.toContain('Moved to SAL.');
  });

  it('requires a reason to reject or disqualify', async () => {
    const client = dashboardClient(collector.url);
    await signIn(client, USER);
    const id = await idOf(seeded.cold.email);
    const token = csrfToken(await client.html(`/dashboard/contacts/${id}`));
    for (const move of ['reject', 'disqualify']) {
      const response = await client.post(`/dashboard/contacts/${id}/stage`, {
        move,
        reason: '   ',
        _csrf: token,
      });
      expect((await flashAfter(client, response))?.[0]).toBe('error');
    }
    expect((await stageOf(id)).stage).toBe('lead');
    const response = await client.post(`/dashboard/contacts/${id}/stage`, {
      move: 'disqualify',
      reason: 'Job seeker',
      _csrf: token,
    });
    expect(await flashAfter(client, response)).toEqual(['ok', 'Moved to Disqualified.']);
    expect((await stageOf(id)).stage_history.at(-1)).toMatchObject({
      to: 'disqualified',
      reason: 'Job seeker',
    });
  });

  it('refuses unknown moves and moves from a read-only key', async () => {
    const reader = dashboardClient(collector.url);
    await signIn(reader, { key: TEST_READ_KEY });
    const id = await idOf(seeded.hot.email);
    const page = await reader.html(`/dashboard/contacts/${id}`);
    expect(page).not.toContain('data-move="accept"');
    const token = csrfToken(page);
    const before = await stageOf(id);
    const denied = await reader.post(`/dashboard/contacts/${id}/stage`, { move: 'qualify', _csrf: token });
    expect((await flashAfter(reader, denied))?.[1]).toContain('read-only');
    const unknown = await reader.post(`/dashboard/contacts/${id}/stage`, { move: 'customer!', _csrf: token });
    expect((await flashAfter(reader, unknown))?.[0]).toBe('error');
    expect((await stageOf(id)).stage_history.length).toBe(before.stage_history.length);
  });

  it('refuses moves from a user whose config entry says read access', async () => {
    const viewer = dashboardClient(collector.url);
    await signIn(viewer, { user: VIEWER.user, password: VIEWER.password });
    const id = await idOf(seeded.hot.email);
    const page = await viewer.html(`/dashboard/contacts/${id}`);
    expect(page).not.toContain('data-move="accept"');
    const before = await stageOf(id);
    const denied = await viewer.post(`/dashboard/contacts/${id}/stage`, {
      move: 'qualify',
      _csrf: csrfToken(page),
    });
    expect((await flashAfter(viewer, denied))?.[1]).toContain('read-only');
    expect((await stageOf(id)).stage_history.length).toBe(before.stage_history.length);
  });

  it('ignores a flash cookie it did not sign', async () => {
    const client = dashboardClient(collector.url);
    await signIn(client, USER);
    const forged = Buffer.from(
      JSON.stringify({ kind: 'ok', text: 'Call +1 555 0100 to verify your account' }),
    ).toString('base64url');
    client.cookies.set('lt_flash', `${forged}.AAAA`);
    expect(await client.html('/dashboard')).not.toContain('555 0100');
  });
});
