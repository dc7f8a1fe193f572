/**
 * The provider's preproduction hosts, as its contract names them (the API document's `servers`:
 * https://api-preprod.norskgjeld.no; the access host beside it). The `preprod` target talks to
 * them, and the simulator accepts token audiences built on the preprod API host, as NoGi issues them.
 */
export const preprod = {
  accessBaseUrl: 'https://access-preprod.norskgjeld.no',
  apiBaseUrl: 'https://api-preprod.norskgjeld.no',
} as const;
