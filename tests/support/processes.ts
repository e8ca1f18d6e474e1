// Starting and stopping the app's own processes in tests: `next start` on a port of
// its own, and the whole process group of what a test started (`next start` forks a
// next-server, `npm run dev` starts next dev and its workers).
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import net from "node:net";
import path from "node:path";

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `next start` of the built app on a database and a port, in a process group of its
 * own (node_modules/.bin/next directly, not npx), so that stopProcessGroup stops the
 * next-server it forks as well.
 */
export function startNext(databaseUrl: string, port: number | string, stdio: StdioOptions = "ignore") {
  return spawn(path.resolve("node_modules/.bin/next"), ["start", "--port", String(port), "--hostname", "127.0.0.1"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio,
    detached: true,
  });
}

/** Resolves once `url` answers with a success. */
export async function waitUntilServing(url: string) {
  for (;;) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Stops a process and the rest of its group, and waits until the group is gone: killed
 * if SIGTERM has not done it within `graceMs`. (Only zombies outlive SIGKILL: after two
 * seconds more, it stops waiting.)
 */
export async function stopProcessGroup(started: ChildProcess, { graceMs = 5_000 } = {}) {
  if (started.pid === undefined) return; // never started: no group to signal (-0 would be this one)
  const group = started.pid;
  if (!signalGroup(group, "SIGTERM")) return; // gone already
  for (let waited = 0; signalGroup(group, 0); waited += 100) {
    if (waited === graceMs) signalGroup(group, "SIGKILL");
    if (waited >= graceMs + 2_000) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sends a signal to a process group (0: none, to ask whether it is still there). False if it is gone. */
function signalGroup(group: number, signal: NodeJS.Signals | 0) {
  try {
    process.kill(-group, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false; // no process left in it
    throw error;
  }
}
