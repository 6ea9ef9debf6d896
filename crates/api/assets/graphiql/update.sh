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
# Every package the bundle may include, with its licence text (or, where the package ships none,
# the licence its package.json names): MIT, plus BSD-2-Clause, 0BSD and Python-2.0 at the time
# of writing, no copyleft.
node -e '
  const fs = require("fs");
  const lock = require("./package-lock.json").packages;
  const out = ["Third-party software in the GraphQL IDE (assets/graphiql/vendor), by npm package.\n"];
  for (const [dir, meta] of Object.entries(lock)) {
    if (!dir) continue;
    const name = dir.replace(/^.*node_modules\//, "");
    out.push("=".repeat(78), `${name} ${meta.version} (${meta.license || "licence not declared"})`, "");
    const files = fs.readdirSync(dir).filter((f) => /^(licen[cs]e|copying|notice)/i.test(f)).sort();
    for (const file of files) out.push(fs.readFileSync(`${dir}/${file}`, "utf8").trim(), "");
    if (files.length === 0) out.push(`(no licence file in the package; its package.json says ${meta.license})`, "");
  }
  fs.writeFileSync("vendor/THIRD-PARTY-LICENSES.txt", out.join("\n"));'
node -e '
  const lock = require("./package-lock.json").packages;
  for (const name of ["graphiql", "react", "react-dom"]) {
    console.log(`${name} ${lock["node_modules/" + name].version}`);
  }' > vendor/VERSIONS
ls -l vendor
