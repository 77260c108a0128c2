// Weft runs its TypeScript source directly and tells its entry points apart
// with `import.meta.main`: both need Node 24.2 or newer. On an older Node
// that strips types (22.18+) the entry files would load and then do nothing
// at all, silently; imported first by each of them, this stops them with one
// line instead. (bin/weft.js checks the same before loading any TypeScript.)

const REQUIRED_NODE = "24.2";

/** Why `version` cannot run Weft, or null when it can. */
export function nodeVersionProblem(version: string): string | null {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const [needMajor, needMinor] = REQUIRED_NODE.split(".").map(Number) as [number, number];
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return null;
  return `Weft needs Node ${REQUIRED_NODE} or newer; this is Node ${version}.`;
}

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
