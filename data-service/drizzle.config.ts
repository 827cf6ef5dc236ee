/** drizzle-kit (dev only): `npm run vault:generate -w data-service` writes a new migration from src/vault/schema.ts. */
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/vault/schema.ts",
  out: "./vault-migrations",
});
