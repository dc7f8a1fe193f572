/**
 * Synthetic person names for personas, in the style of TestID's generated people (an adjective
 * and a noun): plainly not a real person's name, yet readable in a report.
 */
import { randomInt } from 'node:crypto';
import type { RandomInt } from './nin.ts';

const adjectives = ['Rolig', 'Modig', 'Lysende', 'Kvikk', 'Stille', 'Munter', 'Klok', 'Varsom', 'Sprek', 'Vennlig', 'Flink', 'Lun'];
const nouns = ['Ekorn', 'Elg', 'Måke', 'Rev', 'Gaupe', 'Oter', 'Hare', 'Ugle', 'Bever', 'Lemen', 'Sel', 'Jerv'];

export function syntheticName(random: RandomInt = randomInt): string {
  return `${adjectives[random(0, adjectives.length)]} ${nouns[random(0, nouns.length)]}`;
}
