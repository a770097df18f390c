import { rollup } from 'rollup';
import { gzipSync } from 'node:zlib';
import config from '/work/main/rollup.config.mjs';
const stubs = {
  forms: ['capture/forms.ts', 'export const captureForms=()=>{};export const isEmail=()=>0'],
  links: ['capture/links.ts', 'export const captureLinks=()=>{}'],
  chat: ['capture/chat.ts', 'export const captureChat=()=>{};export const CHAT_EVENT=""'],
  pageviews: ['capture/pageviews.ts', 'export const capturePageviews=()=>{}'],
  campaign: ['campaign.ts', 'export const campaignOf=()=>""'],
  privacy: ['privacy.ts', 'export const isLocal=()=>0;export const privacySignal=()=>0'],
  queue: ['queue.ts', 'export const createQueue=()=>({add(){},flush(){}});export const QUEUE_KEY="q"'],
  visitor: ['visitor.ts', 'export const visit=()=>["a","s"];export const uid=()=>"u";export const visitor=()=>({});export const forget=()=>0;export const VISITOR_KEY="v"'],
  storage: ['storage.ts', 'const m={};export const get=k=>m[k],set=(k,v)=>m[k]=v'],
  transport: ['transport.ts', 'export const post=()=>0,beacon=()=>0'],
  config: ['config.ts', 'export const DOWNLOADS="",pattern=()=>/x/'],
};
const size = async (stub) => {
  const c = config[0];
  const plugin = { name: 'stub', load(id) { if (stub && id.endsWith('sdk/' + stubs[stub][0])) return stubs[stub][1]; } };
  const b = await rollup({ input: c.input, plugins: [plugin, ...c.plugins], onwarn() {} });
  const { output } = await b.generate({ format: 'iife', strict: false });
  return gzipSync(output[0].code, { level: 9 }).length;
};
const base = await size();
console.log('base', base);
for (const k of (process.argv[2]?.split(',') || Object.keys(stubs))) console.log(k, base - (await size(k)));
