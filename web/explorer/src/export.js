// Exports of what is on screen: a PNG of the canvas, Cytoscape.js elements
// JSON (loads back with cytoscape({ elements })) and networkx node-link JSON
// shaped like the server's (internal/export/jsonfmt.go): the edges under one
// key, "edges" (networkx 3.6 reads it by default; older versions are told so,
// see the Python client's read_node_link), multigraph, the relation id as the
// edge key so parallel relations between one pair stay separate edges). One
// key, not "links" and "edges" both: that doubled the file. Attribute names
// follow the server's own exports (/export, internal/export): "relation" for
// the type (an attribute named "type" clashes with GEXF and networkx),
// snake_case, entity ACTOR or PLACE; so a notebook reads either the same way.

// visibleElements returns the nodes and edges the analyst currently sees.
export function visibleElements(cy) {
  const nodes = cy.nodes().filter((n) => !n.hasClass('filtered'));
  const edges = cy.edges().filter((e) => !e.hasClass('filtered'));
  return { nodes, edges };
}

// compact drops undefined and null attributes.
function compact(o) {
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === null) delete o[k];
  return o;
}

function exportNode(n) {
  const d = n.data();
  return compact({ id: d.id, label: d.name, kind: d.kind === 'PLACE' ? d.placeKind : d.kind, entity: d.entity === 'Place' ? 'PLACE' : 'ACTOR', country: d.country });
}

function exportEdge(e) {
  const d = e.data();
  return compact({
    id: d.id,
    source: d.source,
    target: d.target,
    label: d.type,
    relation: d.type,
    attribution: d.attribution,
    claimed_by: d.claimedById,
    status: d.status,
    condition: d.condition,
    occurred: d.occurred,
    occurred_precision: d.occurredPrecision,
    reported: d.reported,
    reported_precision: d.reportedPrecision,
    confidence: d.confidence,
    method: d.method,
    review: d.review,
    cameo: d.cameoCode,
    plover: d.plover,
    goldstein: d.goldstein,
    source_doc: d.sourceId,
    source_title: d.sourceTitle,
    source_publisher: d.sourcePublisher,
    source_published: d.sourcePublished,
    evidence_count: (d.evidence || []).length,
    evidence: d.evidence || [],
  });
}

const GRAPH = { name: 'actorgraph explorer view' };

export function cytoscapeJSON(cy) {
  const { nodes, edges } = visibleElements(cy);
  return {
    data: { ...GRAPH },
    elements: {
      nodes: nodes.map((n) => ({ data: exportNode(n), position: { ...n.position() } })),
      edges: edges.map((e) => ({ data: exportEdge(e) })),
    },
  };
}

export function nodeLinkJSON(cy) {
  const { nodes, edges } = visibleElements(cy);
  return {
    directed: true,
    multigraph: true,
    graph: { ...GRAPH },
    nodes: nodes.map(exportNode),
    edges: edges.map((e) => ({ ...exportEdge(e), key: e.id() })),
  };
}

export function download(filename, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadJSON(filename, value) {
  download(filename, new Blob([JSON.stringify(value, null, 2) + '\n'], { type: 'application/json' }));
}

export function downloadPNG(cy, filename) {
  const blob = cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' });
  download(filename, blob);
}
