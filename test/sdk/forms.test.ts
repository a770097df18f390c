// @vitest-environment happy-dom
/**
 * Form sign-ups: a form with an email field identifies the visitor with traits from named
 * fields; password, hidden and card fields are never read; data-lt-ignore and data-forms="off"
 * switch it off.
 */
import { describe, expect, it } from 'vitest';
import { collector, tracker, usePage, wait } from './harness';

usePage('https://site.example/whitepaper');

function form(html: string, attrs = ''): HTMLFormElement {
  document.body.innerHTML = `<form ${attrs}>${html}<button type="submit">Go</button></form>`;
  return document.querySelector('form')!;
}

const submit = (f: HTMLFormElement) =>
  f.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));

/** Makes reading `value` of an element observable. */
function watchValue(el: HTMLInputElement): { reads: number } {
  const watch = { reads: 0 };
  const value = el.value;
  Object.defineProperty(el, 'value', {
    get() {
      watch.reads++;
      return value;
    },
  });
  return watch;
}

describe('form sign-ups', () => {
  it('tracks form_submit and identifies with traits from named fields', async () => {
    await tracker();
    const f = form(
      `<input type="email" name="work_email" value=" ada@analytical.example ">
       <input name="firstName" value="Ada"> <input name="last-name" value="Lovelace">
       <input name="Company" value="Analytical Engines"> <input name="job_title" value="VP Engineering">
       <input type="tel" name="phone" value="+44 20 7946 0000"> <select name="country"><option selected>UK</option></select>
       <select name="company_size"><option selected>51-200</option></select>
       <textarea name="message">Hello</textarea>`,
      'id="signup" action="/subscribe"',
    );
    submit(f);
    await wait(2000);
    const [submitted] = collector.named('form_submit');
    expect(submitted!.props).toEqual({ form: 'signup' });
    const [identify] = collector.named('identify');
    expect(identify).toMatchObject({
      user: 'ada@analytical.example',
      traits: {
        first_name: 'Ada',
        last_name: 'Lovelace',
        company: 'Analytical Engines',
        title: 'VP Engineering',
        phone: '+44 20 7946 0000',
        country: 'UK',
        company_size: '51-200',
      },
    });
    // Only named traits: free text is not sent.
    expect(Object.keys(identify!.traits!)).not.toContain('message');
  });

  it('knows full names and common variants', async () => {
    await tracker();
    submit(
      form(`<input name="email" value="b@c.io"><input name="Full Name" value="Bo Chen">
            <input name="organization" value="Acme"><input name="role" value="CTO"><input name="employees" value="80">`),
    );
    await wait(2000);
    expect(collector.named('identify')[0]!.traits).toEqual({
      name: 'Bo Chen',
      company: 'Acme',
      title: 'CTO',
      company_size: '80',
    });
  });

  it('names the form by id, then name, then action', async () => {
    await tracker();
    submit(
      form(
        '<input type="email" name="email" value="a@b.co"><input name="name" value="x">',
        'name="newsletter"',
      ),
    );
    submit(form('<input type="email" name="email" value="a@b.co">', 'action="/subscribe"'));
    await wait(2000);
    expect(collector.named('form_submit').map((e) => e.props!.form)).toEqual([
      'newsletter',
      'https://site.example/subscribe',
    ]);
  });

  it('never reads password, hidden or card fields', async () => {
    await tracker();
    const f = form(
      `<input type="email" name="email" value="c@d.co">
       <input type="password" name="password" value="secret">
       <input type="hidden" name="name" value="hidden-name">
       <input name="name" autocomplete="cc-name" value="CARD HOLDER">
       <input name="cardnumber" autocomplete="cc-number" value="4111111111111111">`,
    );
    const fields = [...f.querySelectorAll('input')].slice(1);
    const watches = fields.map(watchValue);
    submit(f);
    await wait(2000);
    expect(watches.map((w) => w.reads)).toEqual([0, 0, 0, 0]);
    expect(collector.named('identify')[0]!.traits).toEqual({});
    expect(JSON.stringify(collector.events())).not.toMatch(/secret|hidden-name|CARD HOLDER|4111/);
  });

  it('ignores forms without a valid email, and forms marked data-lt-ignore', async () => {
    await tracker();
    submit(form('<input name="q" value="pipelines">'));
    submit(form('<input type="email" name="email" value="not-an-email">'));
    submit(form('<input type="email" name="email" value="e@f.co">', 'data-lt-ignore'));
    await wait(2000);
    expect(collector.named('form_submit')).toEqual([]);
    expect(collector.named('identify')).toEqual([]);
  });

  it('is off with data-forms="off"', async () => {
    await tracker({ forms: false });
    submit(form('<input type="email" name="email" value="e@f.co">'));
    await wait(2000);
    expect(collector.named('identify')).toEqual([]);
  });

  it('sees the submit before a page handler that stops it to send with fetch', async () => {
    await tracker();
    const f = form('<input type="email" name="email" value="g@h.co">');
    f.addEventListener('submit', (event) => {
      event.preventDefault();
      event.stopImmediatePropagation();
    });
    submit(f);
    await wait(2000);
    expect(collector.named('identify')).toHaveLength(1);
  });
});
