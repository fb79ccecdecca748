// The explorer's only way to the server: the public GraphQL API, exactly as a
// frontend of our users would call it (POST /graphql, JSON, an optional API
// key as "Authorization: Bearer <key>").

export const KEY_STORAGE = 'actorgraph.apiKey';

export class APIError extends Error {
  constructor(message, { status = 0, code = '' } = {}) {
    super(message);
    this.name = 'APIError';
    this.status = status;
    this.code = code;
  }
}

export function loadKey() {
  try {
    return localStorage.getItem(KEY_STORAGE) || '';
  } catch {
    return ''; // storage disabled: keys simply are not remembered
  }
}

export function saveKey(key) {
  try {
    if (key) localStorage.setItem(KEY_STORAGE, key);
    else localStorage.removeItem(KEY_STORAGE);
  } catch {
    /* storage disabled */
  }
}

export function createClient(endpoint) {
  let key = loadKey();
  return {
    get key() { return key; },
    setKey(k) { key = (k || '').trim(); saveKey(key); },
    async request(query, variables = {}, operationName) {
      const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
      if (key) headers.Authorization = 'Bearer ' + key;
      let res;
      try {
        res = await fetch(endpoint, {
          method: 'POST',
          headers,
          body: JSON.stringify({ query, variables, operationName }),
          credentials: 'same-origin',
        });
      } catch (e) {
        throw new APIError('The server cannot be reached: ' + e.message);
      }
      let body = null;
      try {
        body = await res.json();
      } catch {
        /* not JSON: handled below */
      }
      const first = body && Array.isArray(body.errors) && body.errors[0];
      const code = (first && first.extensions && first.extensions.code) || '';
      if (res.status === 401 || code === 'UNAUTHENTICATED') {
        throw new APIError(
          key ? 'The server refused the API key. Check the key in the header.'
              : 'This server needs an API key: enter it in the key field at the top.',
          { status: res.status, code: code || 'UNAUTHENTICATED' });
      }
      if (first) {
        throw new APIError(first.message, { status: res.status, code });
      }
      if (!res.ok || !body || !body.data) {
        throw new APIError(`The server answered ${res.status} ${res.statusText}`, { status: res.status });
      }
      return body.data;
    },
  };
}

// Fragments shared by the queries below. Actor.kind and Place.kind have
// different enum types, so the place's is aliased.
const ENTITY = `
fragment Ent on Entity {
  __typename id name
  ... on Actor { kind country }
  ... on Place { placeKind: kind country }
}`;

const EDGE = `
fragment Edge on Relation {
  id type attribution status condition
  from { ...Ent }
  to { ...Ent }
  claimedBy { id name }
  occurred { date precision }
  reported { date precision }
  goldstein cameoCode plover
  provenance { confidence method review }
  source { id title publisher published }
  evidence { quote start end }
}`;

export const Q_SEARCH = `
query ExplorerSearch($text: String!) {
  search(text: $text, kinds: [ACTOR], first: 10) {
    snippet
    actor { id name kind country aliases }
  }
  byName: actorByName(name: $text) { id name kind country aliases }
  partial: actors(filter: { nameContains: $text }, first: 10) {
    nodes { id name kind country aliases }
  }
}`;

export const Q_VOCABULARY = `
query ExplorerVocabulary {
  vocabulary { type structural description }
}`;

export const Q_NEIGHBORHOOD = `
query ExplorerNeighborhood($actor: ID!, $types: [RelationType!], $direction: Direction, $perNode: Int, $limit: Int) {
  neighborhood(actor: $actor, depth: 1, types: $types, direction: $direction, perNode: $perNode, limit: $limit) {
    truncated
    nodes { ...Ent }
    edges { ...Edge }
  }
}` + ENTITY + EDGE;

export const Q_PATHS = `
query ExplorerPaths($from: ID!, $to: ID!, $maxLength: Int) {
  paths(from: $from, to: $to, maxLength: $maxLength, first: 10) {
    reason
    paths {
      length
      hops { forward relation { ...Edge } from { ...Ent } to { ...Ent } }
    }
  }
}` + ENTITY + EDGE;

export const Q_NODE = `
query ExplorerNode($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Actor {
      name kind aliases country cameoCode wikidata description
      outgoing(first: 1) { totalCount }
      incoming(first: 1) { totalCount }
    }
    ... on Place { name placeKind: kind aliases country wikidata parent { name } }
    ... on Relation {
      ...Edge
      note role cameoName
      event { id name }
      place { id name }
      source { id title publisher published url originalPublisher original }
      evidence { quote start end source { id title publisher published url originalPublisher original } }
      alleges { ...Claim }
      denies { ...Claim }
      allegedBy { ...Claim }
      deniedBy { ...Claim }
    }
  }
}
fragment Claim on Relation {
  id type attribution status condition
  from { id name }
  to { id name }
  claimedBy { id name }
  occurred { date precision }
  evidence { quote }
}` + ENTITY + EDGE;
