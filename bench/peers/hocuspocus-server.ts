/**
 * The Hocuspocus peer for the benchmarks: @hocuspocus/server as its documentation sets it up,
 * with a persistence extension of ours (Hocuspocus's own database extension is not installed)
 * that stores the whole document in SQLite on Hocuspocus's debounce (2 s, at most 10 s), with the
 * same SQLite durability settings as our server (WAL, synchronous=FULL).
 *
 * Env: PORT (0 for any), DATABASE_FILE. Prints one JSON line {"listening": port}.
 */
import { Server, type Extension } from "@hocuspocus/server";
import SQLite from "better-sqlite3";
import * as Y from "yjs";

const file = process.env.DATABASE_FILE ?? ":memory:";
const sqlite = new SQLite(file);
sqlite.pragma("journal_mode = WAL");
sqlite.pragma("synchronous = FULL");
sqlite.exec("create table if not exists documents (name text primary key, state blob not null, updated_at text not null)");
const load = sqlite.prepare<[string], { state: Buffer }>("select state from documents where name = ?");
const store = sqlite.prepare(
  "insert into documents (name, state, updated_at) values (?, ?, ?) on conflict(name) do update set state = excluded.state, updated_at = excluded.updated_at",
);

const sqlitePersistence: Extension = {
  async onLoadDocument({ documentName, document }) {
    const row = load.get(documentName);
    if (row) Y.applyUpdate(document, new Uint8Array(row.state));
  },
  async onStoreDocument({ documentName, document }) {
    store.run(documentName, Buffer.from(Y.encodeStateAsUpdate(document)), new Date().toISOString());
  },
};

const server = new Server({
  port: Number(process.env.PORT ?? 0),
  address: "127.0.0.1",
  quiet: true,
  debounce: 2000,
  maxDebounce: 10000,
  stopOnSignals: true,
  extensions: [sqlitePersistence],
});

await server.listen();
const address = server.httpServer.address();
console.log(JSON.stringify({ listening: typeof address === "object" && address ? address.port : 0 }));
