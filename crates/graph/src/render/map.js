// The risk map page: reads the report from #kubeward-data and draws it with Cytoscape.js.
// Every text from the report goes through textContent or Cytoscape's canvas labels: none is
// ever parsed as HTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('kubeward-data').textContent);

  var COLORS = {
    'internet': '#cf222e',
    'route': '#fb8500',
    'service': '#bf8700',
    'workload': '#0969da',
    'service-account': '#8250df',
    'group': '#c297ff',
    'every': '#d8b9ff',
    'permission': '#a475f9',
    'secret': '#1a7f37',
    'config-map': '#4ac26b',
    'host-path': '#6e7781',
    'node': '#24292f',
    'pod-network': '#54aeff',
    'metadata-endpoint': '#e16f24',
    'cluster-admin': '#82071e'
  };
  var KIND_NAMES = {
    'internet': 'the internet', 'route': 'Ingress / route', 'service': 'Service',
    'workload': 'workload', 'service-account': 'ServiceAccount', 'permission': 'RBAC grant',
    'group': 'Group', 'every': 'every object of a kind in a namespace',
    'secret': 'Secret', 'config-map': 'ConfigMap', 'host-path': 'host directory', 'node': 'node',
    'pod-network': 'pod network', 'metadata-endpoint': 'metadata endpoint',
    'cluster-admin': 'cluster-admin'
  };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  var nodesById = {};
  var edgesById = {};
  var elements = [];
  data.nodes.forEach(function (n) {
    nodesById[n.id] = n;
    elements.push({ group: 'nodes', data: { id: n.id, label: n.label, type: n.type } });
  });
  data.edges.forEach(function (e) {
    edgesById[e.id] = e;
    elements.push({ group: 'edges', data: { id: e.id, source: e.from, target: e.to, label: e.kind } });
  });

  document.getElementById('subtitle').textContent = data.title;

  var cy = cytoscape({
    container: document.getElementById('map'),
    elements: elements,
    style: [
      { selector: 'node', style: {
        'background-color': function (n) { return COLORS[n.data('type')] || '#8c959f'; },
        'label': 'data(label)', 'font-size': 10, 'text-wrap': 'wrap', 'text-max-width': 150,
        'text-valign': 'bottom', 'text-margin-y': 4, 'width': 22, 'height': 22
      } },
      { selector: 'edge', style: {
        'label': 'data(label)', 'font-size': 8, 'text-rotation': 'autorotate',
        'text-background-color': '#fff', 'text-background-opacity': 0.8,
        'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'width': 1.5,
        'line-color': '#8c959f', 'target-arrow-color': '#8c959f'
      } },
      { selector: '.highlight', style: {
        'line-color': '#cf222e', 'target-arrow-color': '#cf222e', 'width': 3,
        'border-width': 3, 'border-color': '#cf222e'
      } },
      { selector: ':selected', style: { 'border-width': 3, 'border-color': '#0969da', 'line-color': '#0969da', 'target-arrow-color': '#0969da' } }
    ],
    // Layered left to right for a few paths; many paths start at many workloads, and one row of
    // a hundred roots is unreadable, so larger maps use the force-directed layout.
    layout: data.nodes.length <= 40 ? {
      name: 'breadthfirst', directed: true, roots: data.starts.length ? data.starts : undefined,
      spacingFactor: 1.1, padding: 24, animate: false
    } : {
      name: 'cose', animate: false, randomize: false, padding: 24, nodeRepulsion: function () { return 8000; },
      idealEdgeLength: function () { return 80; }
    }
  });
  window.cy = cy;

  var details = document.getElementById('details');
  function showDetails(title, rows) {
    var children = [el('h2', title)];
    var dl = el('dl');
    rows.forEach(function (r) {
      if (r[1] === undefined || r[1] === null || r[1] === '') { return; }
      dl.appendChild(el('dt', r[0]));
      dl.appendChild(el('dd', r[1]));
    });
    children.push(dl);
    details.replaceChildren.apply(details, children);
  }

  function showNode(n) {
    showDetails('Node', [
      ['What', n.label],
      ['Kind', KIND_NAMES[n.type] || n.type],
      ['Findings', n.findings.length ? n.findings.join(', ') : 'none on the paths shown']
    ]);
  }

  function showEdge(e) {
    var from = nodesById[e.from], to = nodesById[e.to];
    showDetails('Edge ' + e.kind, [
      ['From', from ? from.label : e.from],
      ['To', to ? to.label : e.to],
      ['Because', e.evidence.text],
      ['Object', e.evidence.object],
      ['Finding', e.evidence.rule],
      ['On paths', e.paths.join(', ')]
    ]);
  }

  cy.on('tap', 'node', function (ev) { showNode(nodesById[ev.target.id()]); });
  cy.on('tap', 'edge', function (ev) { showEdge(edgesById[ev.target.id()]); });

  function focusEdges(ids) {
    cy.elements().removeClass('highlight');
    var eles = cy.collection();
    ids.forEach(function (id) {
      var e = cy.getElementById(id);
      eles = eles.union(e).union(e.connectedNodes());
    });
    eles.addClass('highlight');
    if (eles.length) { cy.fit(eles, 40); }
  }

  var legend = document.getElementById('legend');
  var seen = {};
  data.nodes.forEach(function (n) {
    if (seen[n.type]) { return; }
    seen[n.type] = true;
    var li = el('li');
    var sw = el('span', null, 'swatch');
    sw.style.backgroundColor = COLORS[n.type] || '#8c959f';
    li.appendChild(sw);
    li.appendChild(document.createTextNode(KIND_NAMES[n.type] || n.type));
    legend.appendChild(li);
  });

  var cuts = document.getElementById('cuts');
  if (!data.cuts.length) { cuts.appendChild(el('li', 'none', 'muted')); }
  data.cuts.forEach(function (c) {
    var li = el('li');
    var b = el('button', c.text, 'link');
    b.type = 'button';
    b.addEventListener('click', function () {
      if (c.edge && edgesById[c.edge]) { focusEdges([c.edge]); showEdge(edgesById[c.edge]); }
    });
    li.appendChild(b);
    li.appendChild(el('span', 'cuts ' + c.paths_cut + ' of ' + data.paths.length, 'badge'));
    li.appendChild(el('div', c.evidence.text, 'muted'));
    cuts.appendChild(li);
  });

  var paths = document.getElementById('paths');
  if (!data.paths.length) { paths.appendChild(el('li', 'No attack path found.', 'muted')); }
  data.paths.forEach(function (p, i) {
    var li = el('li');
    var b = el('button', 'cost ' + p.cost + ', from ' + p.start, 'link');
    b.type = 'button';
    b.addEventListener('click', function () { focusEdges(p.edges); });
    li.appendChild(b);
    var steps = el('ul', null, 'steps');
    p.edges.forEach(function (id) {
      var e = edgesById[id];
      steps.appendChild(el('li', e.kind + ' → ' + (nodesById[e.to] ? nodesById[e.to].label : e.to)));
    });
    li.appendChild(steps);
    paths.appendChild(li);
  });

  var notes = document.getElementById('notes');
  data.notes.forEach(function (n) { notes.appendChild(el('li', n)); });
  if (data.truncated) { notes.appendChild(el('li', 'The search was truncated: more paths may exist.')); }
  if (!data.notes.length && !data.truncated) { notes.appendChild(el('li', 'none', 'muted')); }

  document.body.setAttribute('data-ready', 'true');
})();
