#!/usr/bin/env bash
# Regenerates vendor/ from the versions pinned in package-lock.json: the production builds of
# GraphiQL (its UMD bundle and stylesheet) and of React and ReactDOM, with their licences.
# The binary embeds vendor/ at build time (src/web/graphiql.rs); nothing is fetched at run time.
# To move to other versions: edit package.json, run `npm install --ignore-scripts
# --package-lock-only`, then this script, and commit package.json, package-lock.json and vendor/.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
rm -rf vendor
mkdir -p vendor
cp node_modules/graphiql/graphiql.min.js node_modules/graphiql/graphiql.min.css vendor/
cp node_modules/graphiql/LICENSE vendor/LICENSE.graphiql
cp node_modules/react/umd/react.production.min.js vendor/
cp node_modules/react/LICENSE vendor/LICENSE.react
cp node_modules/react-dom/umd/react-dom.production.min.js vendor/
cp node_modules/react-dom/LICENSE vendor/LICENSE.react-dom
node -e '
  const lock = require("./package-lock.json").packages;
  for (const name of ["graphiql", "react", "react-dom"]) {
    console.log(`${name} ${lock["node_modules/" + name].version}`);
  }' > vendor/VERSIONS
ls -l vendor
