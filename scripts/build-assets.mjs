// Copy the precompiled GOV.UK Frontend and MoJ Frontend assets into static/vendor/.
// Third-party CSS/JS is installed from npm and built here at set-up; it is never committed.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const out = "static/vendor";
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const copies = [
  ["node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css", `${out}/govuk/govuk-frontend.min.css`],
  ["node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk/govuk-frontend.min.js`],
  ["node_modules/govuk-frontend/dist/govuk/assets", `${out}/govuk/assets`],
  ["node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.css", `${out}/moj/moj-frontend.min.css`],
  ["node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js", `${out}/moj/moj-frontend.min.js`],
  ["node_modules/@ministryofjustice/frontend/moj/assets", `${out}/moj/assets`],
];
for (const [from, to] of copies) {
  if (!existsSync(from)) {
    console.error(`missing ${from}: is the npm package installed?`);
    process.exit(1);
  }
  cpSync(from, to, { recursive: true });
}
// The precompiled stylesheets point at /assets/…; our assets live under /static/<pkg>/assets/.
for (const pkg of ["govuk/govuk-frontend.min.css", "moj/moj-frontend.min.css"]) {
  const file = `${out}/${pkg}`;
  const prefix = `/static/${pkg.split("/")[0]}/assets/`;
  writeFileSync(file, readFileSync(file, "utf8").replaceAll("url(/assets/", `url(${prefix}`));
}
// The source maps are not copied, so the comments that name them go too (otherwise the
// production static-file build, `collectstatic` with fingerprinting, stops on a missing file).
for (const pkg of ["govuk/govuk-frontend.min.css", "govuk/govuk-frontend.min.js",
                   "moj/moj-frontend.min.css", "moj/moj-frontend.min.js"]) {
  const file = `${out}/${pkg}`;
  writeFileSync(file, readFileSync(file, "utf8").replace(/\n?\/[*/]# sourceMappingURL=\S+( \*\/)?\s*$/, "\n"));
}
console.log(`assets built into ${out}/`);
