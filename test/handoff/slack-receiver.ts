/**
 * A Slack incoming webhook on a loopback port: it checks each body the way Slack does (JSON with
 * a `text` fallback and well-formed Block Kit blocks within Slack's limits) and answers `ok`,
 * or 400 `invalid_blocks` like Slack when the shape is wrong.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackMessage {
  text: string;
  blocks: {
    type: string;
    text?: { type: string; text: string };
    elements?: { type: string; url?: string }[];
  }[];
}

export interface SlackReceiver {
  url: string;
  messages: SlackMessage[];
  refused: string[];
  close(): Promise<void>;
}

/** The problems Slack would report for a message, or [] when it is valid. */
export function slackShapeProblems(body: unknown): string[] {
  const problems: string[] = [];
  const message = body as SlackMessage;
  if (typeof message?.text !== 'string' || message.text === '') problems.push('text missing');
  if (!Array.isArray(message?.blocks) || message.blocks.length === 0 || message.blocks.length > 50)
    return [...problems, 'blocks must be 1–50'];
  for (const [i, block] of message.blocks.entries()) {
    if (!['header', 'section', 'context', 'actions', 'divider'].includes(block.type))
      problems.push(`blocks[${i}].type ${block.type}`);
    if (block.type === 'header' && (block.text?.type !== 'plain_text' || block.text.text.length > 150))
      problems.push(`blocks[${i}] header must be plain_text ≤ 150`);
    if (block.type === 'section' && (!block.text || block.text.text.length > 3000 || block.text.text === ''))
      problems.push(`blocks[${i}] section text must be 1–3000`);
    if (block.type === 'actions')
      for (const el of block.elements ?? [])
        if (el.type === 'button' && el.url && !/^https?:\/\//.test(el.url)) problems.push('button url');
  }
  return problems;
}

export async function startSlackReceiver(respond: (n: number) => number = () => 200): Promise<SlackReceiver> {
  const messages: SlackMessage[] = [];
  const refused: string[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const status = respond(n++);
      if (status !== 200) {
        res.writeHead(status).end('server_error');
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        refused.push('invalid_payload');
        res.writeHead(400).end('invalid_payload');
        return;
      }
      const problems = slackShapeProblems(json);
      if (req.headers['content-type'] !== 'application/json' || problems.length > 0) {
        refused.push(problems.join('; ') || 'content-type');
        res.writeHead(400).end('invalid_blocks');
        return;
      }
      messages.push(json as SlackMessage);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/secret`,
    messages,
    refused,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
