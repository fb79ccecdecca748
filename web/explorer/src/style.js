// How the graph looks: nodes by actor kind (colour and shape), edges by
// relation type (label, structural types thin and grey) and by cooperation or
// conflict (Goldstein sign: green or red), ALLEGED relations dashed.

export const KINDS = {
  STATE: { color: '#1f4e9c', shape: 'ellipse', label: 'State' },
  GOVERNMENT: { color: '#4a86d4', shape: 'round-rectangle', label: 'Government' },
  MILITARY: { color: '#5f6b2e', shape: 'round-triangle', label: 'Military' },
  ARMED_GROUP: { color: '#b8651b', shape: 'diamond', label: 'Armed group' },
  DESIGNATED_TERRORIST_GROUP: { color: '#5a1d2a', shape: 'octagon', label: 'Designated terrorist group' },
  PERSON: { color: '#7b4ea3', shape: 'ellipse', label: 'Person' },
  INTERNATIONAL_ORGANIZATION: { color: '#138f8f', shape: 'hexagon', label: 'International organisation' },
  CIVILIANS: { color: '#8a8a8a', shape: 'round-pentagon', label: 'Civilians' },
  HUMANITARIAN: { color: '#c99a06', shape: 'round-tag', label: 'Humanitarian' },
  OTHER: { color: '#9a9a9a', shape: 'ellipse', label: 'Other actor' },
  PLACE: { color: '#d9d4c7', shape: 'round-rectangle', label: 'Place' },
};

export const SIGN_COLORS = { pos: '#1a9850', neg: '#d73027', zero: '#8c8c8c' };

export const STRUCTURAL = new Set(['PART_OF', 'HOLDS_ROLE', 'AFFILIATED_WITH', 'CONTROLS']);

export function goldsteinSign(g) {
  if (g == null || g === 0) return 'zero';
  return g > 0 ? 'pos' : 'neg';
}

export function stylesheet() {
  const s = [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
        'font-size': 11,
        color: '#1d2433',
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 4,
        'text-wrap': 'wrap',
        'text-max-width': 120,
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.8,
        'text-background-padding': 1,
        width: 30,
        height: 30,
        'background-color': KINDS.OTHER.color,
        'border-width': 1.5,
        'border-color': '#ffffff',
      },
    },
  ];
  for (const [kind, k] of Object.entries(KINDS)) {
    s.push({ selector: `node[kind = "${kind}"]`, style: { 'background-color': k.color, shape: k.shape } });
  }
  s.push(
    { selector: 'node[kind = "STATE"]', style: { width: 40, height: 40 } },
    { selector: 'node[kind = "PERSON"]', style: { width: 24, height: 24 } },
    { selector: 'node[kind = "PLACE"]', style: { width: 26, height: 18, 'border-color': '#9c9480', 'border-width': 1 } },
    // Expanded nodes get a dark ring; capped expansions a dashed orange one.
    { selector: 'node.expanded', style: { 'border-color': '#1d2433', 'border-width': 3 } },
    { selector: 'node.truncated', style: { 'border-color': '#e08a00', 'border-style': 'dashed', 'border-width': 3 } },
    { selector: 'node.anchor', style: { 'font-weight': 'bold' } },
    {
      selector: 'edge',
      style: {
        width: 2,
        'curve-style': 'bezier',
        'control-point-step-size': 28,
        'line-color': SIGN_COLORS.zero,
        'target-arrow-color': SIGN_COLORS.zero,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.9,
        label: 'data(label)',
        'font-size': 8,
        color: '#39414f',
        'text-rotation': 'autorotate',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.75,
        'text-background-padding': 1,
      },
    },
    { selector: 'edge[sign = "pos"]', style: { 'line-color': SIGN_COLORS.pos, 'target-arrow-color': SIGN_COLORS.pos } },
    { selector: 'edge[sign = "neg"]', style: { 'line-color': SIGN_COLORS.neg, 'target-arrow-color': SIGN_COLORS.neg } },
    { selector: 'edge.structural', style: { width: 1.2, 'line-color': '#a5a5a5', 'target-arrow-color': '#a5a5a5', 'target-arrow-shape': 'triangle-tee', 'font-style': 'italic' } },
    { selector: 'edge[attribution = "ALLEGED"]', style: { 'line-style': 'dashed', 'line-dash-pattern': [7, 4] } },
    { selector: 'edge.unrealised', style: { opacity: 0.7, 'line-opacity': 0.7 } },
    { selector: 'edge[status = "NEGATED"]', style: { 'target-arrow-shape': 'tee' } },
    // Filtering hides with display:none, so hidden elements take no clicks.
    { selector: '.filtered', style: { display: 'none' } },
    { selector: 'node:selected', style: { 'overlay-color': '#2c6bed', 'overlay-opacity': 0.18, 'overlay-padding': 6 } },
    { selector: 'edge:selected', style: { width: 4, 'overlay-color': '#2c6bed', 'overlay-opacity': 0.18, 'overlay-padding': 4 } },
    { selector: 'node.path', style: { 'border-color': '#ffb000', 'border-width': 5 } },
    { selector: 'edge.path', style: { width: 4.5, 'underlay-color': '#ffb000', 'underlay-opacity': 0.55, 'underlay-padding': 4 } },
    { selector: '.faded', style: { opacity: 0.25 } },
  );
  return s;
}
