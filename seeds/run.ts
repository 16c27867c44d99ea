// `npm run seed`: applies migrations and the seed data to DATABASE_FILE; safe to run again.
import { loadConfig } from "../server/config";
import { migrateToLatest, openDatabase } from "../db/connection";
import { seedDatabase } from "./load";

const config = loadConfig();
const { db } = openDatabase(config.databaseFile);
await migrateToLatest(db);
const wasEmpty = await seedDatabase(db);
console.log(wasEmpty ? `Seeded ${config.databaseFile}` : `${config.databaseFile} already had data; added anything missing.`);
await db.destroy();
