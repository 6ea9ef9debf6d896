// Starts GraphiQL on the page the server renders (src/web/graphiql.rs). It is a file of its own,
// not an inline script, so that the page's Content-Security-Policy can allow scripts from the
// server itself and nothing else.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  // GraphiQL's dialogs add a <style> element to lock scrolling; the page's policy admits it by
  // this response's nonce, which the bundle reads from this global.
  window.__webpack_nonce__ = root.getAttribute('data-style-nonce');
  var fetcher = GraphiQL.createFetcher({
    url: root.getAttribute('data-endpoint'),
    // The API answers one JSON result per request; no incremental delivery.
    enableIncrementalDelivery: false,
  });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: root.getAttribute('data-default-query'),
      // Show the Headers tab, where the Authorization header goes.
      defaultEditorToolsVisibility: 'headers',
      // A bearer token is not kept in the browser's storage after the tab is closed.
      shouldPersistHeaders: false,
    }),
  );
})();
