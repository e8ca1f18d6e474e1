// A production install leaves the development packages out (`npm ci --omit=dev`, or
// `npm prune --omit=dev` after the build), and `npm start` still migrates and seeds
// before it serves, as `npm install` still generates the Prisma clients. So every
// command those npm scripts (and `npm run db:cleanup`) run, and every package the
// files they run load, must come from `dependencies`: one left among the
// devDependencies works on every developer's machine and fails in the deployment.
// The app's own files are held to the same rule, which is stricter than needed (the
// build bundles much of what they import) but keeps the rule one a reader can check.
import fs from "node:fs/promises";
import { builtinModules } from "node:module";
import path from "node:path";
import { expect, test } from "@playwright/test";
import ts from "typescript";

type PackageJson = {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  bin?: string | Record<string, string>;
};

const readJson = async <T>(file: string) => JSON.parse(await fs.readFile(file, "utf8")) as T;

/** What runs in production: the app, and the scripts that `npm start` and cron run. */
const runtimeRoots = ["app", "components", "lib", "proxy.ts", "next.config.ts", "prisma.config.ts"];
const runtimeScripts = ["start", "postinstall", "db:cleanup"];

test("what npm start, npm install and the app need at run time are production dependencies", async () => {
  const pkg = await readJson<PackageJson>("package.json");

  // The npm scripts, followed through `npm run`, and the commands they run.
  const commands = new Set<string>();
  const entryFiles = new Set<string>();
  const seen = new Set<string>();
  const follow = (script: string) => {
    if (seen.has(script)) return;
    seen.add(script);
    const body = pkg.scripts[script];
    expect(body, `npm script ${script}`).toBeDefined();
    // Only what this walk understands: commands joined by &&, and `npm run <script>`.
    expect(body, `npm script ${script}: commands joined by && only`).not.toMatch(/;|\|/);
    for (const command of (body ?? "").split("&&").map((part) => part.trim().split(/\s+/))) {
      const [program, ...args] = command;
      if (program === "npm") {
        expect(args[0], `npm script ${script}: npm run <script> only`).toBe("run");
        if (args[1]) follow(args[1]);
      } else if (program) {
        commands.add(program);
        for (const arg of args) if (/\.(ts|mjs|js)$/.test(arg)) entryFiles.add(arg);
      }
    }
  };
  runtimeScripts.forEach(follow);

  // Which package provides each command.
  const provides = new Map<string, string>();
  for (const name of [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]) {
    const { bin } = await readJson<PackageJson>(path.join("node_modules", name, "package.json"));
    const names = typeof bin === "string" ? [name.split("/").at(-1) ?? name] : Object.keys(bin ?? {});
    for (const command of names) provides.set(command, name);
  }
  const commandsFromDev = [...commands].filter((command) => {
    const from = provides.get(command);
    expect(from, `the package that provides ${command}`).toBeDefined();
    return from !== undefined && !(from in pkg.dependencies);
  });
  expect(commandsFromDev).toEqual([]);

  // The packages that the files they run, and the app's own files, import (types aside).
  const files = [...entryFiles, ...(await sourceFilesUnder(runtimeRoots))];
  const imported = new Map<string, string>();
  for (const file of await withLocalImports(files)) {
    for (const specifier of runtimeImportsOf(file, await fs.readFile(file, "utf8"))) {
      if (specifier.startsWith(".") || specifier.startsWith("@/")) continue;
      if (specifier.startsWith("node:") || builtinModules.includes(specifier)) continue;
      const parts = specifier.split("/");
      const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
      imported.set(name, file);
    }
  }
  const importsFromDev = [...imported].filter(([name]) => !(name in pkg.dependencies));
  expect(importsFromDev, "[package, a file that imports it]").toEqual([]);
  // The walk found what it is for: the migration runner's and the app's packages.
  expect([...imported.keys()]).toEqual(expect.arrayContaining(["@prisma/schema-engine-wasm", "next", "zod"]));
});

async function sourceFilesUnder(roots: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const root of roots) {
    const stat = await fs.stat(root);
    if (stat.isFile()) files.push(root);
    else
      for (const entry of await fs.readdir(root, { recursive: true })) {
        if (/\.(ts|tsx|mjs)$/.test(entry) && !/\.(test|spec)\./.test(entry)) files.push(path.join(root, entry));
      }
  }
  return files;
}

/** The files and, transitively, the project's own files they import. */
async function withLocalImports(files: string[]): Promise<string[]> {
  const found = new Set<string>();
  const queue = [...files];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (found.has(file)) continue;
    found.add(file);
    for (const specifier of runtimeImportsOf(file, await fs.readFile(file, "utf8"))) {
      const local = specifier.startsWith("@/")
        ? specifier.slice(2)
        : specifier.startsWith(".")
          ? path.join(path.dirname(file), specifier)
          : null;
      if (local !== null) queue.push(await resolveLocal(local));
    }
  }
  return [...found];
}

async function resolveLocal(stem: string): Promise<string> {
  for (const candidate of [stem, `${stem}.ts`, `${stem}.tsx`, path.join(stem, "index.ts")]) {
    if (
      await fs
        .stat(candidate)
        .then((stat) => stat.isFile())
        .catch(() => false)
    )
      return candidate;
  }
  throw new Error(`cannot find the project file ${stem}`);
}

/** What a file loads at run time: import and export declarations (not type-only ones), import(), require(). */
function runtimeImportsOf(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression.getText(source);
      if (callee === "import" || callee === "require" || callee === "require.resolve") {
        specifiers.push(node.arguments[0].text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}
