/**
 * The self-test projects (tests/self/deviations.ts selfTestGroups): every case in exactly one
 * project; no project holds two cases of the same grep (one run of a test cannot show two
 * deviations); a simulator on another contract version is a project of its own.
 */
import { expect, test } from '@playwright/test';
import { selfTestCases, selfTestGroups, type SelfTestCase } from '../self/deviations.ts';

const name = (c: SelfTestCase) => c.deviation ?? `contract ${c.contract}`;

test('every self-test case is in one project, with no grep twice in a project, contract versions alone', () => {
  const groups = selfTestGroups();
  expect(groups.flatMap((g) => g.cases.map(name)).sort()).toEqual(selfTestCases.map(name).sort());
  for (const g of groups) {
    const greps = g.cases.map((c) => c.grep.source);
    expect(new Set(greps).size, g.name).toBe(greps.length);
    if (g.contract) expect(g.cases.map(name), g.name).toEqual([`contract ${g.contract}`]);
    expect(g.name).toBe(g.cases.map(name).join(' + '));
  }
  // As few projects as the most shared grep needs, plus one per contract version.
  const shared = Math.max(...selfTestCases.filter((c) => !c.contract).map((c) => selfTestCases.filter((o) => !o.contract && o.grep.source === c.grep.source).length));
  expect(groups.length).toBe(shared + selfTestCases.filter((c) => c.contract).length);
});

test('cases of one grep go to different projects, the others even them out', () => {
  const grep = (source: string) => new RegExp(source);
  const cases: SelfTestCase[] = [
    { deviation: 'revoke-ignored', grep: grep('lifecycle'), names: [] },
    { deviation: 'debt-missing-ssn', grep: grep('lifecycle'), names: [] },
    { deviation: 'feed-from-exclusive', grep: grep('feed'), names: [] },
    { deviation: 'redirect-unregistered', grep: grep('redirect'), names: [] },
    { contract: 'b68fec2', grep: grep('lifecycle'), names: [] },
  ];
  expect(selfTestGroups(cases).map((g) => g.name)).toEqual([
    'revoke-ignored + feed-from-exclusive',
    'debt-missing-ssn + redirect-unregistered',
    'contract b68fec2',
  ]);
});
