import net from "node:net";
import { describe, expect, it } from "vitest";
import { sliceEvery } from "../../server/yield-budget";

function busy(ms: number) {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the event loop is held, as a long SQLite read holds it
  }
}

/**
 * Runs `work` from a socket's data callback, as a request handler runs: the loop is then in its
 * poll phase, where one setImmediate still runs before timers and other sockets.
 */
async function fromIoCallback(work: () => Promise<void>): Promise<void> {
  const server = net.createServer((socket) => {
    socket.once("data", () => {
      void work().then(
        () => socket.end("done"),
        (err) => socket.destroy(err),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve, reject) => {
    const client = net.connect(port, "127.0.0.1", () => client.write("go"));
    client.on("data", () => resolve());
    client.on("error", reject);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe("sliceEvery", () => {
  it("lets a timer that came due run before the work goes on, even from an I/O callback", async () => {
    const order: string[] = [];
    await fromIoCallback(async () => {
      const slice = sliceEvery(20);
      setTimeout(() => order.push("timer"), 0);
      busy(30);
      await slice();
      order.push("work goes on");
    });
    expect(order).toEqual(["timer", "work goes on"]);
  });

  it("does not give a turn before the budget is spent", async () => {
    const slice = sliceEvery(1_000);
    expect(slice()).toBeUndefined();
  });
});
