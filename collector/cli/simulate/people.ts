/**
 * Made-up people and companies for the visitors who fill in a form. Seniority and company size
 * are drawn to fit the journey (an evaluator is usually a data leader at a mid-size company, a
 * job seeker a student with a free-mail address), so fit scores tell the story a marketer expects.
 */
import type { Random } from './random';

export interface Person {
  name: string;
  email: string;
  company?: string;
  title?: string;
  /** As the demo site's forms send it: '50-249', '1000-4999', '5000+'. */
  company_size?: string;
}

export type Profile = 'leader' | 'practitioner' | 'junior' | 'personal';

const FIRST = [
  'Ada',
  'Bruno',
  'Chen',
  'Dara',
  'Elif',
  'Farah',
  'Gus',
  'Hana',
  'Ivan',
  'Jade',
  'Kofi',
  'Lena',
  'Mateo',
  'Nadia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Uma',
  'Victor',
  'Wen',
  'Yara',
  'Zoe',
];
const LAST = [
  'Adeyemi',
  'Becker',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Horvat',
  'Ito',
  'Jensen',
  'Kowalski',
  'Larsen',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quispe',
  'Rossi',
  'Silva',
  'Tanaka',
  'Ueda',
  'Varga',
];

interface Company {
  name: string;
  domain: string;
  employees: number;
}

const COMPANIES: readonly Company[] = [
  { name: 'Acme Freight', domain: 'acme-freight.com', employees: 420 },
  { name: 'Globex', domain: 'globex-corp.com', employees: 2300 },
  { name: 'Initech', domain: 'initech-software.com', employees: 180 },
  { name: 'Umbrella Health', domain: 'umbrella-health.com', employees: 5200 },
  { name: 'Stark Retail', domain: 'stark-retail.com', employees: 850 },
  { name: 'Wayne Logistics', domain: 'wayne-logistics.com', employees: 640 },
  { name: 'Soylent Foods', domain: 'soylent-foods.com', employees: 95 },
  { name: 'Cyberdyne Analytics', domain: 'cyberdyne-analytics.com', employees: 310 },
  { name: 'Tyrell Biotech', domain: 'tyrell-biotech.com', employees: 1400 },
  { name: 'Wonka Confections', domain: 'wonka-confections.com', employees: 260 },
  { name: 'Vandelay Imports', domain: 'vandelay-imports.com', employees: 45 },
  { name: 'Pied Piper', domain: 'piedpiper-compression.com', employees: 38 },
  { name: 'Oscorp Energy', domain: 'oscorp-energy.com', employees: 3100 },
  { name: 'Massive Dynamic', domain: 'massive-dynamic.com', employees: 760 },
  { name: 'Aperture Labs', domain: 'aperture-labs.com', employees: 540 },
  { name: 'Dunder Paper', domain: 'dunder-paper.com', employees: 120 },
  { name: 'Gringotts Payments', domain: 'gringotts-payments.com', employees: 980 },
  { name: 'Monarch Travel', domain: 'monarch-travel.com', employees: 210 },
];

const TITLES: Record<Exclude<Profile, 'personal'>, readonly string[]> = {
  leader: [
    'VP of Data',
    'Director of Analytics',
    'Head of Data Platform',
    'CTO',
    'Chief Data Officer',
    'Director of Engineering',
  ],
  practitioner: [
    'Data Engineer',
    'Senior Data Engineer',
    'Analytics Engineer',
    'Data Platform Manager',
    'BI Manager',
    'Staff Engineer',
  ],
  junior: ['Student', 'Data Engineering Intern', 'Junior Data Analyst'],
};

const FREE_MAIL = ['gmail.com', 'outlook.com', 'yahoo.com', 'hotmail.com'];

export function sizeBand(employees: number): string {
  if (employees < 50) return '1-49';
  if (employees < 250) return '50-249';
  if (employees < 1000) return '250-999';
  if (employees < 5000) return '1000-4999';
  return '5000+';
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');

export function drawPerson(rng: Random, profile: Profile): Person {
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const name = `${first} ${last}`;
  if (profile === 'personal' || profile === 'junior') {
    const email = `${slug(first)}.${slug(last)}${rng.int(1, 99)}@${rng.pick(FREE_MAIL)}`;
    return profile === 'junior' ? { name, email, title: rng.pick(TITLES.junior) } : { name, email };
  }
  // Leaders skew to companies past the first hundred people, where a pipeline product is bought.
  const pool = profile === 'leader' ? COMPANIES.filter((c) => c.employees >= 90) : COMPANIES;
  const company = rng.pick(pool);
  return {
    name,
    email: `${slug(first)}.${slug(last)}@${company.domain}`,
    company: company.name,
    title: rng.pick(TITLES[profile]),
    company_size: sizeBand(company.employees),
  };
}
