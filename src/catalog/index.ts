export { Catalog } from './catalog.js';
export { ListingMemory, type ServerListingSource } from './listing-memory.js';
export {
  DEFAULT_MAX_NAME_LENGTH,
  type CatalogKind,
  type CatalogOptions,
  type CatalogProblem,
  type Route,
  type ServerView,
  type UpstreamListing,
} from './types.js';
