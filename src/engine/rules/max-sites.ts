// max-sites: the deletion reaches more sites (boundary entities) than limits.maxSites.
import { planRule } from './types.js';

export const maxSites = planRule({
  name: 'max-sites',
  help: 'more sites reached than the limit',
  anchor: () => ['limits', 'maxSites'],
  order: 130,
  check({ g, limits, sitesReached }, out) {
    if (limits.maxSites === undefined || sitesReached <= limits.maxSites) return;
    out.push({
      rule: 'max-sites',
      message: `the deletion reaches ${sitesReached} ${sitesReached === 1 ? 'entity' : 'entities'} of type ${g.schema.boundary}; the limit is ${limits.maxSites}`,
      entity: null,
      chain: [],
    });
  },
});
