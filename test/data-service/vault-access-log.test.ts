/**
 * The access log, written first: logThenRead commits the entry (and uses the nonce) before its read runs, refuses a
 * used nonce without logging, keeps the entry when the read fails; a refused read is logged with outcome 2.
 */
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { sql } from "drizzle-orm";

import { OUTCOME, logRefusal, logThenRead } from "../../data-service/src/reads/accessLog";
import { fetchBlob, storeBlob } from "../../data-service/src/vault/blobs";
import { NonceUsedError } from "../../data-service/src/vault/errors";
import { onServer, openTestVault, readEntry, rowsOf, type TestVault } from "../helpers/vault";

interface Row {
  id: string;
  outcome: number;
  refusal: string | null;
  subject: string;
  purpose_text: string;
}

describe("vault access log", function () {
  this.timeout(120_000);
  let vault: TestVault;
  before(async () => (vault = await openTestVault()));
  after(async () => vault?.remove());

  /**
   * The entry as another reader of the database sees it: on a server, through a connection of its own (not the
   * vault's pool); with PGlite, which has one connection, through a query outside any transaction of the vault's
   * (had the read run inside the entry's transaction, this query would wait for its end and the test time out).
   */
  async function committedEntry(id: bigint): Promise<Row | undefined> {
    const query = `SELECT id::text, outcome, refusal, subject::text, purpose_text FROM "${vault.schema}".access_log WHERE id = ${id}`;
    if (vault.options.url)
      return onServer(vault.options.url, async (client) => (await client.query<Row>(query)).rows[0]);
    return (await rowsOf<Row>(vault.db, sql.raw(query)))[0];
  }

  const entries = async () =>
    (await rowsOf<{ n: number }>(vault.db, sql`SELECT count(*)::int AS n FROM access_log`))[0].n;

  describe("logThenRead", function () {
    it("commits the entry before the read runs, and returns the read's data with the entry's id", async function () {
      const entry = readEntry();
      let seen: Row | undefined;
      const { entryId, data } = await logThenRead(vault.db, entry, async (id) => {
        seen = await committedEntry(id);
        return "residence: Lyon 3e";
      });
      expect(data).to.equal("residence: Lyon 3e");
      expect(seen).to.deep.equal({
        id: entryId.toString(),
        outcome: OUTCOME.read,
        refusal: null,
        subject: entry.subject.toString(),
        purpose_text: entry.purposeText,
      });
    });

    it("reads from the vault only what it fetches after the entry (the read route's use)", async function () {
      const uid = randomBytes(32);
      const upload = { by: 3n, key: randomBytes(20), digest: randomBytes(32) };
      const meta = { kind: "record_private", uid, registerId: randomBytes(32), subject: 5n } as const;
      await storeBlob(vault.db, vault.keyring, meta, Buffer.from("birth place: Lyon"), upload);
      const { data } = await logThenRead(vault.db, readEntry({ recordUid: uid }), () =>
        fetchBlob(vault.db, vault.keyring, { kind: "record_private", uid }),
      );
      expect(data?.toString()).to.equal("birth place: Lyon");
    });

    it("refuses a used nonce with NonceUsedError, logs nothing and does not read", async function () {
      const first = readEntry();
      await logThenRead(vault.db, first, async () => undefined);
      const before = await entries();
      let read = false;
      const replay = readEntry({ nonce: first.nonce, purposeText: "replayed" });
      const refused = await logThenRead(vault.db, replay, async () => (read = true)).catch((error: Error) => error);
      expect(refused)
        .to.be.instanceOf(NonceUsedError)
        .that.deep.includes({
          key: `0x${first.nonce.key.toString("hex")}`,
          kind: "read",
          nonce: first.nonce.value,
        });
      expect(read).to.equal(false);
      expect(await entries()).to.equal(before);
    });

    it("takes the same nonce from another key, or for another kind of request", async function () {
      const first = readEntry();
      await logThenRead(vault.db, first, async () => undefined);
      const before = await entries();
      const otherKey = { ...first.nonce, key: randomBytes(20) };
      const otherKind = { ...first.nonce, kind: "tracker" as const };
      await logThenRead(vault.db, readEntry({ nonce: otherKey }), async () => undefined);
      await logThenRead(vault.db, readEntry({ nonce: otherKind }), async () => undefined);
      expect(await entries()).to.equal(before + 2);
    });

    it("keeps the entry when the read throws: the read was attempted under a grant", async function () {
      const before = await entries();
      let entry: bigint | undefined;
      const failed = await logThenRead(vault.db, readEntry(), async (id) => {
        entry = id;
        throw new Error("vault row missing");
      }).catch((error: Error) => error);
      expect(failed).to.be.instanceOf(Error).with.property("message", "vault row missing");
      expect(await entries()).to.equal(before + 1);
      expect((await committedEntry(entry!))?.outcome).to.equal(OUTCOME.read);
    });
  });

  describe("under load", function () {
    it("commits the entries that arrive together in one transaction, each with an id of its own", async function () {
      const before = await entries();
      const batch = Array.from({ length: 40 }, (_, i) => readEntry({ subject: 1000n + BigInt(i) }));
      const ids = await Promise.all(batch.map((entry) => logThenRead(vault.db, entry, async (id) => id)));
      expect(new Set(ids.map(({ entryId }) => entryId)).size).to.equal(40);
      for (const { entryId, data } of ids) expect(data).to.equal(entryId);
      expect(await entries()).to.equal(before + 40);
      // each id is its own entry's, whatever order the rows were written in
      for (const [i, { entryId }] of ids.entries())
        expect((await committedEntry(entryId))?.subject).to.equal((1000 + i).toString());
      // they shared commits: fewer transactions than entries (the first alone, the rest queued behind it)
      const [{ n }] = await rowsOf<{ n: number }>(
        vault.db,
        sql`SELECT count(DISTINCT xmin::text)::int AS n FROM access_log WHERE subject BETWEEN 1000 AND 1039`,
      );
      expect(n).to.be.lessThan(40);
    });

    it("refuses a nonce used twice in one commit, or used before, and writes the others", async function () {
      const used = readEntry();
      await logThenRead(vault.db, used, async () => undefined);
      const twice = readEntry();
      const outcomes = await Promise.allSettled([
        logThenRead(vault.db, readEntry(), async () => "first"),
        logThenRead(vault.db, twice, async () => "twice, first"),
        logThenRead(vault.db, { ...twice, subject: 99n }, async () => "twice, again"),
        logRefusal(vault.db, { ...used, subject: 98n }, "SmartLawUnauthorized"),
        logThenRead(vault.db, readEntry(), async () => "last"),
      ]);
      const value = (i: number) => (outcomes[i] as PromiseFulfilledResult<{ data: string }>).value.data;
      expect([value(0), value(1), value(4)]).to.deep.equal(["first", "twice, first", "last"]);
      for (const i of [2, 3]) {
        expect(outcomes[i].status).to.equal("rejected");
        expect((outcomes[i] as PromiseRejectedResult).reason).to.be.instanceOf(NonceUsedError);
      }
      const [{ n }] = await rowsOf<{ n: number }>(
        vault.db,
        sql`SELECT count(*)::int AS n FROM access_log WHERE subject IN (98, 99)`,
      );
      expect(n).to.equal(0);
    });

    it("fails a whole group at once when the database, not an entry, is at fault", async function () {
      let transactions = 0;
      const down = {
        transaction: async () => {
          transactions++;
          throw new Error("Connection terminated unexpectedly");
        },
      } as unknown as typeof vault.db;
      const outcomes = await Promise.allSettled(
        [1, 2, 3, 4].map(() => logThenRead(down, readEntry(), async () => "never")),
      );
      for (const o of outcomes)
        expect((o as PromiseRejectedResult).reason.message).to.equal("Connection terminated unexpectedly");
      // the first alone, then the three queued behind it together: none tried again one by one
      expect(transactions).to.equal(2);
    });

    it("writes the others when one entry of a commit cannot be written", async function () {
      const before = await entries();
      const outcomes = await Promise.allSettled([
        logThenRead(vault.db, readEntry(), async () => "queued first"),
        logThenRead(vault.db, readEntry(), async () => "sound"),
        // Postgres keeps no NUL in text: this entry fails, alone
        logThenRead(vault.db, readEntry({ purposeText: "bad\u0000purpose" }), async () => "never"),
        logThenRead(vault.db, readEntry(), async () => "sound too"),
      ]);
      expect(outcomes.map((o) => o.status)).to.deep.equal(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
      expect(await entries()).to.equal(before + 3);
    });
  });

  describe("logRefusal", function () {
    it("logs the attempt with outcome 2 and SmartLaw's reason, and uses the nonce", async function () {
      const entry = readEntry({ reader: 31n, subject: 77n });
      const reason = "SmartLawOutsideJurisdiction(0x70997970C51812dc3A010C7d01b50e0d17dc79C8, 4)";
      const id = await logRefusal(vault.db, entry, reason);
      expect(await committedEntry(id)).to.deep.include({ outcome: OUTCOME.refused, refusal: reason, subject: "77" });
      const replay = await logRefusal(vault.db, entry, reason).catch((error: Error) => error);
      expect(replay).to.be.instanceOf(NonceUsedError);
    });
  });
});
